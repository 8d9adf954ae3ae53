#!/usr/bin/env bash
# Peak memory of a 200,000-row household import (issue 7): generates the file, imports it into a
# fresh SQLite database with the CLI under /usr/bin/time -v and prints the peak RSS.
# Usage: scripts/import-memory.sh [path/to/grassroots] [rows]
set -euo pipefail
bin=${1:-target/debug/grassroots}
rows=${2:-200000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/div"
printf 'code,name\n14,山西省\n' >"$dir/div/provinces.csv"
printf 'code,name,provinceCode\n1405,晋城市,14\n' >"$dir/div/cities.csv"
printf 'code,name,cityCode\n140581,高平市,1405\n' >"$dir/div/areas.csv"
printf 'code,name,areaCode\n140581100,米山镇,140581\n' >"$dir/div/streets.csv"
printf 'code,name,streetCode\n140581100201,米山村,140581100\n' >"$dir/div/villages.csv"
python3 - "$rows" "$dir/households.csv" <<'PY'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"
def rid(i):
    y = 1950 + i % 60; i //= 60; m = 1 + i % 12; i //= 12; d = 1 + i % 28; i //= 28
    base = "140581" + "%04d%02d%02d" % (y, m, d) + "%03d" % (i % 1000)
    return base + C[sum(int(a) * w for a, w in zip(base, W)) % 11]
rows, out = int(sys.argv[1]), open(sys.argv[2], "w", encoding="utf-8")
out.write("户号,户主姓名,地址,备注,成员姓名,与户主关系,性别,出生日期,身份证号,联系电话\n")
n = h = 0
while n < rows:
    h += 1
    for j in range(4):
        if n >= rows:
            break
        r = rid(n * 7 + 3)
        sex = "男" if int(r[16]) % 2 == 1 else "女"
        rel = "户主" if j == 0 else "子女"
        out.write(f"H{h:06d},张{h},米山镇米山村{h}号,,张{h}_{j},{rel},{sex},,{r},138{n:08d}\n")
        n += 1
PY
export DATABASE_URL="sqlite://$dir/m.db" GRASSROOTS_KEY_FILE="$dir/k.key"
"$bin" migrate >/dev/null 2>&1
"$bin" units import "$dir/div" >/dev/null
/usr/bin/time -v "$bin" households import --village 140581100201 "$dir/households.csv" 2>"$dir/time.txt"
grep -E "Maximum resident|Elapsed|User time" "$dir/time.txt"
