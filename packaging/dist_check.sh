#!/usr/bin/env bash
# Smoke test of the built .deb (`make dist-check`): unpack it into a fresh root, then run the installed program
# with an empty environment, no Python on PATH and no network (a new network namespace), as a clerk's PC would:
#   --version, plan --json, export, tasks (headless, offscreen), then the window on Xvfb until xdotool sees it.
# Prints one line per check and the timings; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls -t dist/liubao_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "no .deb in dist/: run make deb" >&2; exit 1; }
py=.venv/bin/python  # only to check outputs; the program under test never sees it
version=$($py -c 'import sys; sys.path.insert(0, "."); from liubao_desktop.resources import version_from_pyproject as v; print(v(open("pyproject.toml").read()))')
tmp=$(mktemp -d /tmp/liubao-dist-check.XXXXXX)
xvfb_pid=""; app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }
ms() { date +%s%3N; }

mkdir -p "$tmp/home" "$tmp/nobin"
echo "deb:     $deb ($(du -h "$deb" | cut -f1))"
t0=$(ms); dpkg-deb -x "$deb" "$tmp/root"; t1=$(ms)
ok "installed (dpkg-deb -x) in $((t1 - t0)) ms: $(du -sh "$tmp/root/opt/liubao" | cut -f1) under /opt/liubao"
dpkg-deb -e "$deb" "$tmp/control"
extra=$(ls "$tmp/control" | grep -vx -e control -e md5sums || true)
[ -z "$extra" ] || fail "maintainer scripts in the package: $extra"
ok "no maintainer scripts (remove and purge leave every home folder alone)"
grep -q '^Name=六保任务台账$' "$tmp/root/usr/share/applications/liubao.desktop" || fail "desktop entry name"
for n in 16 24 32 48 64 128 256; do [ -s "$tmp/root/usr/share/icons/hicolor/${n}x${n}/apps/liubao.png" ] || fail "icon ${n}px"; done
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$tmp/root/usr/share/applications/liubao.desktop" || fail "desktop-file-validate"
fi
ok "desktop entry (desktop-file-validate where installed) and hicolor icons 16..256"

# The program under test: /usr/bin/liubao of the unpacked root, with nothing from this machine's environment.
liubao=$tmp/root/usr/bin/liubao
run() { unshare --net env -i PATH="$tmp/nobin" HOME="$tmp/home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$liubao" "$@"; }
data=$tmp/home/data

out=$(run --version) || fail "--version"
[ "$out" = "liubao-desktop $version" ] || fail "--version printed '$out', pyproject says $version"
ok "liubao --version: $out"

t0=$(ms); run plan --json --data-dir "$data" > "$tmp/plan.json" || fail "plan --json"; t1=$(ms)
targets=$($py -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(m["targets"]) for p in d["parts"] for m in p["measures"]))' "$tmp/plan.json")
[ "$targets" = 39 ] || fail "plan --json lists $targets targets, not 39"
ok "liubao plan --json: 39 targets, first run (database created) $((t1 - t0)) ms"

run sample-data --data-dir "$tmp/home/sample" > /dev/null || fail "sample-data"
run export --org 芙蓉区 --period 2020-09 --out "$tmp/out.xlsx" --data-dir "$tmp/home/sample" > /dev/null 2>&1 || fail "export"
$py -c 'import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); assert len(wb.sheetnames) >= 3, wb.sheetnames; print(" ".join(wb.sheetnames))' "$tmp/out.xlsx" > "$tmp/sheets" || fail "export wrote no workbook"
ok "liubao export --org 芙蓉区 --period 2020-09: $(cat "$tmp/sheets")"

run tasks --out "$tmp/tasks.pdf" --period 2020-09 --data-dir "$tmp/home/sample" > /dev/null || fail "tasks"
$py -c 'import pypdf,sys; r=pypdf.PdfReader(sys.argv[1]); t=r.pages[0].extract_text(); assert "长沙" in t, t[:200]; print(len(r.pages))' "$tmp/tasks.pdf" > "$tmp/pages" || fail "tasks PDF without Chinese text"
ok "liubao tasks: $(cat "$tmp/pages") PDF pages, Chinese text searchable"

run report --org 芙蓉区 --period 2020-09 --out "$tmp/report.docx" --data-dir "$tmp/home/sample" > /dev/null || fail "report"
$py -c 'import docx,sys; d=docx.Document(sys.argv[1]); t="".join(p.text for p in d.paragraphs); assert "芙蓉区" in t, t[:200]; print(len(d.paragraphs), len(d.inline_shapes))' "$tmp/report.docx" > "$tmp/paras" || fail "report.docx unreadable"
ok "liubao report (python-docx, chart painted offscreen): $(cut -d" " -f1 < "$tmp/paras") paragraphs, $(cut -d" " -f2 < "$tmp/paras") picture(s)"

run template --org 芙蓉区 --period 2020-09 --out "$tmp/T.xlsx" --data-dir "$tmp/home/sample" > /dev/null || fail "template"
run import "$tmp/T.xlsx" --dry-run --json --data-dir "$tmp/home/sample" > "$tmp/import.json" || fail "import --dry-run"
$py -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]; assert f["kind"] == "template" and not f["problems"], f' "$tmp/import.json" || fail "import read the template wrongly"
ok "liubao template, then import --dry-run of it: read back clean (defusedxml, the intake guard)"

# The window, on a fresh data folder (first start: the 选择填报单位 dialog) and on the sample ledger (the main window).
display=:$((100 + RANDOM % 800))
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp > "$tmp/xvfb.log" 2>&1 & xvfb_pid=$!
for _ in $(seq 50); do DISPLAY=$display xdotool getdisplaygeometry > /dev/null 2>&1 && break; sleep 0.1; done
window() {  # data folder, title pattern -> prints ms until a window with that title is mapped
  local folder=$1 pattern=$2 start found=""
  start=$(ms)
  unshare --net env -i PATH="$tmp/nobin" HOME="$tmp/home" LANG=C.UTF-8 DISPLAY="$display" \
    "$liubao" --data-dir "$folder" > "$tmp/gui.log" 2>&1 & app_pid=$!
  for _ in $(seq 300); do
    if wid=$(DISPLAY=$display xdotool search --onlyvisible --name "$pattern" 2>/dev/null | head -1) && [ -n "$wid" ]; then
      found=$(DISPLAY=$display xdotool getwindowname "$wid"); break
    fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.05
  done
  local shown=$(( $(ms) - start ))
  # what the running program loaded: nothing from a Python installed on this machine
  local foreign
  foreign=$(grep -oE '/[^ ]+\.so[^ ]*' "/proc/$app_pid/maps" 2>/dev/null | sort -u \
            | grep -E '/usr/lib/python3|/usr/local/lib/python|/\.venv/|site-packages' || true)
  kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
  [ -n "$found" ] || { cat "$tmp/gui.log" >&2; fail "no window titled '$pattern' within 15 s"; }
  [ -z "$foreign" ] || fail "the program loaded a system Python's files: $foreign"
  [ ! -s "$tmp/gui.log" ] || { cat "$tmp/gui.log" >&2; fail "the window's start printed the above"; }
  echo "$shown ms, title '$found'"
}
t=$(window "$tmp/home/fresh" "选择填报单位") || exit 1
ok "first start on Xvfb (fresh data folder): 选择填报单位 shown after $t"
# the office and the clerk chosen, as the first start's dialog would have saved them
$py -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executemany("INSERT OR REPLACE INTO setting VALUES (?,?)", [("current_org","430102"),("operator","测试")]); c.commit()' "$tmp/home/sample/liubao.sqlite3"
t=$(window "$tmp/home/sample" "六保") || exit 1
ok "start with the sample ledger (芙蓉区 chosen): main window shown after $t"
echo "dist-check: all passed"
