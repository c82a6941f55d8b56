#!/bin/bash
# bench/data.sh SCALE... — the times around the data:
#   gen       `hatchery gen --scale S` (wall time and peak RSS, /usr/bin/time -v);
#             bench/run makes the databases the other scripts use here;
#   init      `hatchery init --demo` (hyperfine);
#   start-up  from starting `serve` to the first answered request (GET
#             /healthz), bash's clock and /dev/tcp, median of 7;
#   xlsx      GET /firms/export.xlsx (100,000 firms: at province scale all,
#             at national scale those entered in a half-year window) and
#             that file, its 编号 column emptied, imported back with
#             POST /api/v1/firms/import?mode=all into a copy of the database
#             without those firms (so every row is created); at national
#             scale also every firm (1,000,000) streamed, with the server's
#             peak RSS. `bench/data.sh --xlsx SCALE...`: these rows only.
. "$(dirname "$0")/lib.sh"

gen_scale() { # scale → makes $(db_of scale), prints its row
	local scale=$1 db
	db=$(db_of "$scale")
	rm -f "$db" "$db-wal" "$db-shm"
	/usr/bin/time -v -o "$WORK/gen-time.$scale" "$BIN" gen --db "$db" --scale "$scale" >"$WORK/gen.$scale.log" 2>&1 ||
		{ say "bench: gen --scale $scale failed:"; cat "$WORK/gen.$scale.log" >&2; return 1; }
	local wall rss
	wall=$(awk -F'): ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$WORK/gen-time.$scale")
	rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/gen-time.$scale")
	local goal=- verdict=-
	if [ "$scale" = national ]; then
		goal="well under 60 s"
		verdict=$(awk -v w="$wall" 'BEGIN { print (w < 60 ? "met" : "missed") }')
	fi
	row data "$scale" "gen --scale $scale ($(tail -n 1 "$WORK/gen.$scale.log" | sed 's/.*plan [^:]*: //; s/ (模拟数据).*//'); $(du -m "$db" | cut -f1) MB)" \
		"$wall s, peak RSS $rss MB" "-" "-" "$goal" "$verdict"
}

if [ "${1:-}" = --xlsx ]; then
	XLSX_ONLY=1
	shift
fi

if [ "${1:-}" = --gen ]; then
	shift
	for scale in "$@"; do gen_scale "$scale" || exit 1; done
	exit 0
fi

if [ -z "${XLSX_ONLY:-}" ]; then
	runs=${INIT_RUNS:-5}
	hyperfine -N --style none --runs "$runs" --prepare "rm -f $WORK/init.db $WORK/init.db-wal $WORK/init.db-shm" \
		--export-json "$WORK/hf-init.json" "$BIN init --db $WORK/init.db --demo" >/dev/null 2>&1
	init_ms=$(sqlite3 :memory: "SELECT printf('%.1f', json_extract(readfile('$WORK/hf-init.json'), '\$.results[0].mean') * 1000)")
	rm -f "$WORK/init.db" "$WORK/init.db-wal" "$WORK/init.db-shm"
	row data - "init --demo (Ruian plan and demo data, admin password hashed)" "$init_ms ms" "-" "-" "-" "-"
fi

# peak_rss_mb PID: the process's peak resident memory (VmHWM), in MB
peak_rss_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# import_floor PRE POST: SQLite alone storing what the import stored — the
# firms the import created in POST and their audit rows, copied first into
# tables in memory, inserted into a copy of PRE (the database as the import
# found it) by one INSERT … SELECT each in one transaction, with the
# triggers the import suspends dropped as it drops them, the import's page
# cache (32 MB), synchronous NORMAL and foreign keys on: the sqlite3
# shell's time from BEGIN to COMMIT, median of $ROUNDS. Sets FLOOR_MS.
import_floor() {
	local pre=$1 post=$2 f="$WORK/floor-import.db" sql="$WORK/floor-import.sql" cols acols maxid maxaudit times=""
	cols=$(sqlite3 "$pre" "SELECT group_concat(name, ', ') FROM pragma_table_info('firm') WHERE name <> 'id'")
	acols="at, user_name, addr, action, record_kind, record_id, before_json, after_json"
	maxid=$(sqlite3 "$pre" "SELECT coalesce(max(id), 0) FROM firm")
	maxaudit=$(sqlite3 "$pre" "SELECT coalesce(max(id), 0) FROM audit")
	{
		echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
		echo "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;"
		echo "ATTACH '$post' AS post;"
		echo "CREATE TEMP TABLE new_firm AS SELECT $cols FROM post.firm WHERE id > $maxid ORDER BY id;"
		echo "CREATE TEMP TABLE new_audit AS SELECT $acols FROM post.audit"
		echo "  WHERE id > $maxaudit AND action = 'create' AND record_kind = 'firms' ORDER BY id;"
		echo "DETACH post;"
		echo ".timer on"
		echo "BEGIN IMMEDIATE;"
		sqlite3 "$pre" "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_master WHERE type = 'trigger'
			AND (name GLOB '*_stamp_*' OR (tbl_name = 'firm' AND (name GLOB '*_count_*' OR name GLOB '*_measure_*')))"
		echo "INSERT INTO firm($cols) SELECT $cols FROM temp.new_firm;"
		echo "INSERT INTO audit($acols) SELECT $acols FROM temp.new_audit;"
		echo "COMMIT;"
	} >"$sql"
	for _ in $(seq "$ROUNDS"); do
		rm -f "$f" "$f-wal" "$f-shm"
		cp "$pre" "$f"
		times="$times $(sqlite3 -batch "$f" <"$sql" 2>&1 | awk '/^Run Time: real/ { s += $4 } END { printf "%.0f", s * 1000 }')"
	done
	FLOOR_MS=$(echo "$times" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	rm -f "$f" "$f-wal" "$f-shm" "$sql"
}

# xlsx_round_trip SCALE DB QUERY: GET /firms/export.xlsx$QUERY as admin,
# then that file, its 编号 (id) column emptied, POSTed to
# /api/v1/firms/import?mode=all into a copy of the database from which those
# firms were deleted (every row is created).
xlsx_round_trip() {
	local scale=$1 db=$2 query=$3 t x rows ms goal verdict idb before after created
	start_server "$db"
	base="http://127.0.0.1:$PORT"
	login "$base" admin "$HATCHERY_ADMIN_PASSWORD"
	cookie=$COOKIE
	t=$(curl -s -o "$WORK/firms.xlsx" -w '%{time_total}' -H "Cookie: $cookie" "$base/firms/export.xlsx$query")
	stop_server
	x="$WORK/xlsx.$$"
	rm -rf "$x"
	mkdir -p "$x"
	(cd "$x" && unzip -q "$WORK/firms.xlsx")
	rows=$(tr '<' '\n' <"$x/xl/worksheets/sheet1.xml" | grep -c '^row ')
	rows=$((rows - 1))
	ms=$(calc "$t * 1000" 0)
	goal=- verdict=-
	if [ "$rows" -ge 90000 ]; then
		goal="≤1 s"
		verdict=$(awk -v m="$ms" 'BEGIN { print (m <= 1000 ? "met" : "missed (" m / 1000 " s)") }')
	fi
	row xlsx "$scale" "export GET /firms/export.xlsx$query ($rows firms, $(du -k "$WORK/firms.xlsx" | cut -f1) kB)" \
		"$ms ms" "-" "-" "$goal" "$verdict"
	# the ids of the exported firms; the same file without them
	grep -oE '<c r="A[0-9]+"( s="[0-9]+")?><v>[0-9]+</v>' "$x/xl/worksheets/sheet1.xml" | sed -E 's/.*<v>([0-9]+)<\/v>/\1/' >"$WORK/ids.txt"
	sed -E -i 's#<c r="A([0-9]+)"( s="[0-9]+")?><v>[0-9]+</v></c>#<c r="A\1"/>#g' "$x/xl/worksheets/sheet1.xml"
	rm -f "$WORK/import.xlsx"
	(cd "$x" && zip -q -X -r "$WORK/import.xlsx" '[Content_Types].xml' _rels xl docProps 2>/dev/null)
	rm -rf "$x"
	idb="$WORK/import.db"
	rm -f "$idb" "$idb-wal" "$idb-shm"
	sqlite3 "$db" ".backup '$idb'"
	printf 'CREATE TEMP TABLE ids(id INTEGER PRIMARY KEY);\n.import %s ids\nDELETE FROM firm WHERE id IN (SELECT id FROM ids);\n' \
		"$WORK/ids.txt" | sqlite3 -batch "$idb" >/dev/null
	before=$(sqlite3 "$idb" "SELECT count(*) FROM firm")
	cp "$idb" "$idb.pre"
	start_server "$idb"
	base="http://127.0.0.1:$PORT"
	login "$base" admin "$HATCHERY_ADMIN_PASSWORD"
	cookie=$COOKIE
	rm -f "$WORK/import.json"
	t=$(curl -s -o "$WORK/import.json" -w '%{time_total}' -H "Cookie: $cookie" -H "X-CSRF-Token: $CSRF" \
		-H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
		--data-binary "@$WORK/import.xlsx" "$base/api/v1/firms/import?mode=all")
	stop_server
	after=$(sqlite3 "$idb" "SELECT count(*) FROM firm")
	created=$(sqlite3 :memory: "SELECT json_extract(readfile('$WORK/import.json'), '\$.created')")
	ms=$(calc "$t * 1000" 0)
	import_floor "$idb.pre" "$idb"
	goal=- verdict="created ${created:-?} (firms $before → $after)"
	if [ "$rows" -ge 90000 ]; then
		goal="≤1 s"
		verdict="$(awk -v m="$ms" -v f="$FLOOR_MS" 'BEGIN { print (m <= 1000 ? "met" : "missed (" m / 1000 " s)" (f > 1000 ? "; the goal is below the SQL floor of these rows, " f / 1000 " s" : "")) }'); $verdict"
	fi
	[ "${created:-0}" = "$rows" ] || verdict="FAILED: $verdict: $(head -c 300 "$WORK/import.json")"
	row xlsx "$scale" "import POST /api/v1/firms/import?mode=all ($rows firms, every row created); the SQL floor: the same firm and audit rows inserted by sqlite3 alone in one transaction" \
		"$ms ms" "SQL floor $FLOOR_MS ms" "$(calc "$ms / $FLOOR_MS" 2)" "$goal" "$verdict"
	rm -f "$idb" "$idb-wal" "$idb-shm" "$idb.pre" "$WORK/import.xlsx" "$WORK/firms.xlsx"
}

# xlsx_million DB: GET /firms/export.xlsx, every firm (1,000,000 at national
# scale), streamed: curl's time_total, and the server's peak RSS during the
# export (VmHWM, reset after the login, whose argon2id takes 32 MiB, by
# writing 5 to /proc/PID/clear_refs) and before it (start-up and login).
xlsx_million() {
	local db=$1 t rows mb export_peak login_peak verdict
	start_server "$db"
	base="http://127.0.0.1:$PORT"
	login "$base" admin "$HATCHERY_ADMIN_PASSWORD"
	cookie=$COOKIE
	login_peak=$(peak_rss_mb "$SPID")
	echo 5 >"/proc/$SPID/clear_refs"
	t=$(curl -s -o "$WORK/million.xlsx" -w '%{time_total}' -H "Cookie: $cookie" "$base/firms/export.xlsx")
	export_peak=$(peak_rss_mb "$SPID")
	stop_server
	rows=$(unzip -p "$WORK/million.xlsx" xl/worksheets/sheet1.xml | tr '<' '\n' | grep -c '^row ')
	rows=$((rows - 1))
	mb=$(du -m "$WORK/million.xlsx" | cut -f1)
	verdict=$(awk -v p="$export_peak" -v w="$login_peak" 'BEGIN { m = p > w ? p : w; print (m <= 64 ? "met" : "missed (" m " MB)") }')
	row xlsx national "export GET /firms/export.xlsx, every firm, streamed ($rows firms, $mb MB)" \
		"$(calc "$t" 2) s; server peak RSS $export_peak MB during the export ($login_peak MB before it: start-up and login)" \
		"-" "-" "≤64 MB" "$verdict"
	rm -f "$WORK/million.xlsx"
}

for scale in "$@"; do
	db=$(db_of "$scale")
	if [ -z "${XLSX_ONLY:-}" ]; then
		# start-up to the first answered request
		times=""
		for _ in 1 2 3 4 5 6 7; do
			port=$(free_port)
			t0=$EPOCHREALTIME
			"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --threads "$THREADS" --quiet >/dev/null 2>&1 &
			pid=$!
			started_pids="$started_pids $pid"
			status=""
			# connect until it answers (10 s at most)
			t0us=${t0/./}
			while (( ${EPOCHREALTIME/./} - t0us < 10000000 )); do
				if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
					printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
					read -r _ status _ <&3
					exec 3>&-
					break
				fi
			done
			t1=$EPOCHREALTIME
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$pid" | tr '\n' ' ')
			[ "$status" = 200 ] || { say "bench: start-up: no 200 from /healthz (got '$status')"; continue; }
			times="$times $(calc "(${t1/./} - $t0us) / 1000" 1)"
		done
		startup=$(echo "$times" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
		goal=- verdict=-
		if [ "$scale" = national ]; then
			goal="≤100 ms"
			verdict=$(awk -v s="$startup" 'BEGIN { print (s <= 100 ? "met" : "missed (" s " ms)") }')
		fi
		row data "$scale" "start-up: serve started → first answer (GET /healthz), median of 7" "$startup ms" "-" "-" "$goal" "$verdict"
	fi
	# xlsx export and import of 100,000 firms: at province scale all of
	# them; at national scale (1,000,000) the list filtered on 入孵日期 to a
	# window of 98,921 (XLSX_FROM, XLSX_TO: under the import's limit of 100,000 rows)
	query=""
	[ "$scale" = national ] && query="?from=${XLSX_FROM:-2024-06-02}&to=${XLSX_TO:-2024-10-24}"
	xlsx_round_trip "$scale" "$db" "$query"
	# the whole national list (1,000,000 firms) streamed: time and the server's memory
	if [ "$scale" = national ]; then xlsx_million "$db"; fi
done
