; Inno Setup 6 script: a per-user installer for 六保任务台账 (no administrator rights asked).
; Built by scripts/build-windows.ps1 after PyInstaller made dist\liubao\ from packaging\liubao.spec:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\liubao.iss      ->  dist\liubao-0.1.0-setup.exe
; It installs the folder into %LOCALAPPDATA%\Programs\liubao and adds a Start-menu entry (and, if ticked, a
; desktop icon). Uninstalling removes the program only: the clerk's ledger lives in
; %APPDATA%\liubao\liubao-desktop (QStandardPaths AppDataLocation) and is never touched.
; Not run on the project's Linux machines: it needs Windows and Inno Setup 6.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6B0F3C52-5A4E-4C59-9B3C-2C1D6F1A7E15}
AppName=六保任务台账
AppVersion={#AppVersion}
AppVerName=六保任务台账 {#AppVersion}
AppPublisher=liubao-desktop
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={userpf}\liubao
DefaultGroupName=六保任务台账
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=liubao-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\liubao.ico
UninstallDisplayIcon={app}\liubao.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
; ChineseSimplified.isl is an official translation kept in Inno Setup's Languages\Unofficial folder in some
; releases: the build script copies it next to this file when it is not in Languages\.
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式:"; Flags: unchecked

[Files]
Source: "..\..\dist\liubao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\六保任务台账"; Filename: "{app}\liubao.exe"; WorkingDir: "{app}"; Comment: "长沙市“六保”任务进展台账"
Name: "{userdesktop}\六保任务台账"; Filename: "{app}\liubao.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\liubao.exe"; Description: "启动 六保任务台账"; Flags: nowait postinstall skipifsilent
