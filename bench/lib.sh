# bench/lib.sh — helpers shared by the benchmark scripts (sourced, bash).
#
# Every server here listens on 127.0.0.1 only, every load run is bounded in
# time (wrk -d) and stops by itself, and every process started is stopped
# by its own PID. Figures are printed as rows
#   | section | scale | what | ours | reference | ratio | goal | verdict |
# and appended to $RESULTS (a Markdown table that bench/run prints at the end).

set -u

top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BIN=${BIN:-$top/build/hatchery}
WORK=${WORK:-$top/var/bench}
RESULTS=${RESULTS:-$WORK/results.md}
DUR=${DUR:-3}             # seconds of each wrk run
ROUNDS=${ROUNDS:-3}       # pages: ours and nginx in turn, the median of this many rounds
CONNS=${CONNS:-64}        # wrk connections
WRK_THREADS=${WRK_THREADS:-2}
THREADS=${THREADS:-$(nproc)} # hatchery serve --threads: one per core gave the best p99
export HATCHERY_ADMIN_PASSWORD=${HATCHERY_ADMIN_PASSWORD:-Bench-Secret-2026}
BENCH_USER=bench-viewer
BENCH_PASSWORD=Load-Test-Pass-2026
mkdir -p "$WORK"

# PIDs this run started, stopped at exit.
started_pids=""
cleanup_pids() {
	for p in $started_pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	started_pids=""
}
trap cleanup_pids EXIT

say() { printf '%s\n' "$*" >&2; }

# A row of the results.
row() { # section scale what ours reference ratio goal verdict
	local line="| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"
	printf '%s\n' "$line"
	printf '%s\n' "$line" >>"$RESULTS"
}

# Integer-free arithmetic through awk.
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

# A TCP port on 127.0.0.1 that nothing listens on (bash's /dev/tcp tries it).
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000)) # below the ephemeral range (no self-connect)
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# start_server DB [extra serve options...]: sets SPID and PORT; the server
# listens on 127.0.0.1, port chosen by the kernel (port 0, read back from
# its "listening on" line). --max-per-address 0: every client here comes
# from 127.0.0.1, as behind a proxy; with the default cap of 64 a client
# besides wrk's 64 connections (the reporter) was refused for the whole run.
start_server() {
	local db=$1
	shift
	# a new file each time: the loop below must not read an earlier server's line
	SLOG=$(mktemp "$WORK/serve.XXXXXX")
	local log=$SLOG
	"$BIN" serve --db "$db" --listen 127.0.0.1:0 --threads "$THREADS" --max-per-address 0 --quiet "$@" >"$log" 2>&1 &
	SPID=$!
	started_pids="$started_pids $SPID"
	PORT=""
	for _ in $(seq 500); do
		PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
		[ -n "$PORT" ] && return 0
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.01
	done
	say "bench: the server did not start:"
	cat "$log" >&2
	return 1
}

stop_server() {
	[ -n "${SPID:-}" ] || return 0
	kill "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$SPID" | tr '\n' ' ')
	SPID=""
	rm -f "${SLOG:-}"
}

ensure_user() { # db: adds the viewer account the logged-in pages use, once
	if ! "$BIN" user list --db "$1" 2>/dev/null | grep -q "^$BENCH_USER "; then
		HATCHERY_PASSWORD=$BENCH_PASSWORD "$BIN" user add --db "$1" "$BENCH_USER" --role viewer --keep-password >/dev/null
	fi
}
# login BASE_URL USER PASSWORD: POST /api/v1/session; sets COOKIE (the
# Cookie header's value) and CSRF (the token for writes).
login() {
	local jar="$WORK/cookies.$$"
	curl -s -c "$jar" -H 'Content-Type: application/json' \
		-d "{\"user\":\"$2\",\"password\":\"$3\"}" "$1/api/v1/session" >"$WORK/login.$$.json"
	COOKIE=$(awk '$6 == "hatchery_session" { print "hatchery_session=" $7 }' "$jar")
	CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$WORK/login.$$.json")
	rm -f "$jar" "$WORK/login.$$.json"
	[ -n "$COOKIE" ]
}

# run_wrk URL [Cookie]: sets RPS, P50, P99 (ms) from one bounded run.
run_wrk() {
	local url=$1 cookie=${2:-} out="$WORK/wrk.$$.txt"
	if [ -n "$cookie" ]; then
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DUR}s" --latency -H "Cookie: $cookie" "$url" >"$out" 2>&1
	else
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DUR}s" --latency "$url" >"$out" 2>&1
	fi
	RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	P50=$(awk '$1 == "50%" { print $2 }' "$out" | to_ms)
	P99=$(awk '$1 == "99%" { print $2 }' "$out" | to_ms)
	NON2XX=$(awk '/Non-2xx/ { print $5 }' "$out")
	[ -n "$RPS" ] || { say "bench: wrk failed:"; cat "$out" >&2; RPS=0; P50=0; P99=0; }
}
# median3 A B C (or fewer values): the middle one.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_pair URL COOKIE REF_URL: ours and the reference, ROUNDS times in
# turn (the machine is shared: load moves between runs), each figure the
# median of its rounds. Sets O_RPS O_P50 O_P99 O_BAD and N_RPS N_P50 N_P99.
run_pair() {
	local ours=$1 cookie=$2 ref=$3 i
	local orps="" op50="" op99="" nrps="" np50="" np99=""
	O_BAD=""
	for i in $(seq "${ROUNDS:-3}"); do
		run_wrk "$ours" "$cookie"
		orps="$orps $RPS" op50="$op50 $P50" op99="$op99 $P99"
		[ -n "${NON2XX:-}" ] && O_BAD=$NON2XX
		run_wrk "$ref"
		nrps="$nrps $RPS" np50="$np50 $P50" np99="$np99 $P99"
	done
	# shellcheck disable=SC2086
	{ O_RPS=$(median $orps); O_P50=$(median $op50); O_P99=$(median $op99)
	  N_RPS=$(median $nrps); N_P50=$(median $np50); N_P99=$(median $np99); }
}

to_ms() { # wrk's "1.23ms", "456.00us", "1.02s" → milliseconds
	awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } \
	      else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'
}

# nginx as our own process: a config in a temp dir, listening on 127.0.0.1,
# serving $1 (a directory) with keep-alive. Sets NPID and NPORT.
start_nginx() {
	local root=$1 dir
	dir=$(mktemp -d "$WORK/nginx.XXXXXX")
	chmod 755 "$dir" "$root"
	chmod 644 "$root"/* 2>/dev/null
	NGINX_DIR=$dir
	for _ in 1 2 3 4 5; do
		NPORT=$(free_port)
		cat >"$dir/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_requests 1000000;
	keepalive_timeout 65;
	types { text/html html; application/json json; }
	default_type application/octet-stream;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	server {
		listen 127.0.0.1:$NPORT;
		root $root;
	}
}
EOF
		nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
		NPID=$!
		started_pids="$started_pids $NPID"
		for _ in $(seq 200); do
			(exec 3<>"/dev/tcp/127.0.0.1/$NPORT") 2>/dev/null && return 0
			kill -0 "$NPID" 2>/dev/null || break
			sleep 0.01
		done
		kill "$NPID" 2>/dev/null
		wait "$NPID" 2>/dev/null
	done
	say "bench: nginx did not start:"
	cat "$dir/error.log" >&2
	return 1
}
stop_nginx() {
	[ -n "${NPID:-}" ] || return 0
	kill -QUIT "$NPID" 2>/dev/null
	wait "$NPID" 2>/dev/null
	started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$NPID" | tr '\n' ' ')
	NPID=""
	rm -rf "$NGINX_DIR"
}

# The generated database of a scale (made once per run by bench/run).
db_of() { echo "$WORK/$1.db"; }

# The area each scale's area page and computations use: an area with areas
# under it where the scale has them, and one without.
upper_area_of() { case $1 in city) echo tangxia ;; province) echo pref-01 ;; *) echo prov-11 ;; esac; }
leaf_area_of() { case $1 in city) echo feiyun ;; province) echo pref-01-county-03 ;; *) echo prov-11-city-03 ;; esac; }
# (appended to bench/lib.sh)

# The reporter who writes while the pages are measured: an area user of
# area $1 (made once in database $2), saving one of its area's bases over
# the API as the edit form would (PATCH /api/v1/bases/{id}: a change an
# area user makes to an approved record waits for review as a proposed
# change, in one transaction with its audit row).
OFFICE_USER=bench-office
# ensure_office DB: an office account (role admin): its 工作台 is measured,
# and it publishes the bulletin whose page is measured.
ensure_office() {
	if ! "$BIN" user list --db "$1" 2>/dev/null | grep -q "^$OFFICE_USER "; then
		HATCHERY_PASSWORD=$BENCH_PASSWORD "$BIN" user add --db "$1" "$OFFICE_USER" --role admin --keep-password >/dev/null
	fi
}
# published_bulletin BASE_URL COOKIE CSRF PERIOD: sets BULLETIN to the id of
# a published bulletin, the newest one or, when there is none, one the
# office makes for PERIOD (POST /api/v1/bulletins) and publishes; empty
# when the binary has no bulletins.
published_bulletin() {
	local base=$1 cookie=$2 csrf=$3 period=$4 out="$WORK/bulletin.$$.json"
	BULLETIN=$(curl -s -H "Cookie: $cookie" "$base/api/v1/bulletins" |
		grep -o '"id":[0-9]*,[^{}]*"status":"published"' | head -n 1 | sed 's/"id":\([0-9]*\).*/\1/')
	[ -n "$BULLETIN" ] && return 0
	curl -s -o "$out" -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d "{\"period\":\"$period\"}" "$base/api/v1/bulletins"
	local id
	id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$out")
	rm -f "$out"
	[ -n "$id" ] || return 0
	if [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
		"$base/api/v1/bulletins/$id/publish")" = 200 ]; then
		BULLETIN=$id
	fi
}

WRITER_USER=bench-reporter
ensure_writer() { # area db
	if ! "$BIN" user list --db "$2" 2>/dev/null | grep -q "^$WRITER_USER "; then
		HATCHERY_PASSWORD=$BENCH_PASSWORD "$BIN" user add --db "$2" "$WRITER_USER" --role area --scope "$1" --keep-password >/dev/null
	fi
}
# writer_area DB UPPER BASE_ID: an area with an approved base, under a
# top-level area other than UPPER's and BASE_ID's (so the area page and
# the evaluation measured are of other areas; the overview, the lists and
# the country's progress count it).
writer_area() {
	sqlite3 "$1" "WITH top(area, t) AS (SELECT a.area, a.ancestor FROM area_ancestor a JOIN area p ON p.code = a.ancestor
		  WHERE p.parent = (SELECT code FROM area WHERE level = 'city'))
		SELECT b.area FROM base b JOIN top ON top.area = b.area WHERE b.review_status = 'approved'
		AND top.t NOT IN (SELECT t FROM top WHERE area IN ('$2', (SELECT area FROM base WHERE id = $3)))
		ORDER BY b.id DESC LIMIT 1"
}
# start_writer BASE_URL COOKIE CSRF PATH SECONDS: PATCH PATH every 100 ms
# (a new contact each time) for at most SECONDS. Each change is sent on the
# tick, on a connection of its own, without waiting for the one before (at
# most 20 in flight, each curl bounded by --max-time 10): one curl in a loop
# waited behind wrk's 64 connections and managed 4 changes/s, not 10. The
# answers' status codes go to $WORK/writes.codes. Sets WRITER.
start_writer() {
	local base=$1 cookie=$2 csrf=$3 path=$4 max=$5
	rm -f "$WORK/writes" "$WORK/writes.codes"
	: >"$WORK/writes.codes"
	(
		end=$((SECONDS + max)) i=0
		while [ "$SECONDS" -lt "$end" ]; do
			i=$((i + 1))
			if [ "$(jobs -r | wc -l)" -lt 20 ]; then
				curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X PATCH -H "Cookie: $cookie" \
					-H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
					-d "{\"contact\":\"填报测试 $i\"}" "$base$path" >>"$WORK/writes.codes" &
			fi
			echo "$i" >"$WORK/writes"
			sleep 0.1
		done
		wait
	) &
	WRITER=$!
	started_pids="$started_pids $WRITER"
	WRITER_T0=$SECONDS
}
# stop_writer: sets WRITES (committed: answered 2xx) and WRITE_RATE (per
# second); the changes still in flight are waited for (each ends within 10 s).
stop_writer() {
	local t=$((SECONDS - WRITER_T0))
	kill "$WRITER" 2>/dev/null
	wait "$WRITER" 2>/dev/null
	started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$WRITER" | tr '\n' ' ')
	for _ in $(seq 100); do
		pgrep -f "contact.:.填报测试" >/dev/null 2>&1 || break
		sleep 0.1
	done
	WRITES=$(grep -c '^2' "$WORK/writes.codes" 2>/dev/null)
	WRITES=${WRITES:-0}
	WRITE_RATE=$(calc "$WRITES / ($t > 0 ? $t : 1)" 1)
}
