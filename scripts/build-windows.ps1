# Builds 六保任务台账 for Windows: the PyInstaller folder dist\liubao\ (liubao.exe for the window, liubao-cli.exe
# for the headless commands) from packaging\liubao.spec, then the per-user installer with Inno Setup 6.
#
# Needs, on a Windows 10/11 x64 PC with internet access (the office PCs themselves need none):
#   - Python 3.11 x64 from python.org ("py -3.11" must work)
#   - Inno Setup 6 (ISCC.exe), for the installer step; without it the folder is still built
# Run from the repository root in PowerShell:
#   powershell -ExecutionPolicy Bypass -File scripts\build-windows.ps1
# Output: dist\liubao\liubao.exe (the folder to copy) and dist\liubao-<version>-setup.exe (the installer).
# Not run on the project's Linux machines; the parts that differ on Windows are tested there as functions
# (tests/packaging/test_windows_names.py, tests/files/test_network_paths.py).
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

$venv = ".venv-win"
if (-not (Test-Path "$venv\Scripts\python.exe")) {
    py -3.11 -m venv $venv
    if ($LASTEXITCODE -ne 0) { throw "Python 3.11 x64 is needed: install it from python.org (py -3.11)" }
}
$py = "$venv\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install -c constraints.txt -e ".[dist]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

# The version is pyproject.toml's, as `liubao --version` prints it.
$version = & $py -c "from liubao_desktop.resources import app_version; print(app_version())"

# The .ico (and the PNGs) rendered from resources\icons\app.svg with Qt, into build\icons\.
$env:QT_QPA_PLATFORM = "offscreen"
& $py packaging\icons.py build\icons
Remove-Item Env:\QT_QPA_PLATFORM

if (Test-Path dist\liubao) { Remove-Item -Recurse -Force dist\liubao }
& "$venv\Scripts\pyinstaller.exe" --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\liubao.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Smoke test of the folder: the version and the plan, headless.
& dist\liubao\liubao-cli.exe --version
& dist\liubao\liubao-cli.exe plan --json --data-dir "$env:TEMP\liubao-build-check" | Out-Null
if ($LASTEXITCODE -ne 0) { throw "dist\liubao\liubao-cli.exe plan --json failed" }
$size = (Get-ChildItem dist\liubao -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("dist\liubao: {0:N0} MB" -f $size)

$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) {
    Write-Warning "Inno Setup 6 (ISCC.exe) not found: dist\liubao\ is built, the installer is not."
    exit 0
}
$languages = Join-Path (Split-Path $iscc) "Languages"
if (-not (Test-Path "$languages\ChineseSimplified.isl") -and (Test-Path "$languages\Unofficial\ChineseSimplified.isl")) {
    Copy-Item "$languages\Unofficial\ChineseSimplified.isl" "$languages\ChineseSimplified.isl"
}
& $iscc "/DAppVersion=$version" packaging\windows\liubao.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "dist\liubao-$version-setup.exe"
