#!/bin/bash
# bench/pages.sh SCALE... — dynamic pages and the progress API against nginx
# serving the same bytes as a static file: throughput and p50/p99 latency
# with wrk ($CONNS connections, $DUR s per run, loopback only), ours and
# nginx in turn $ROUNDS times, each figure the median of its rounds,
# while a reporter commits a change every 100 ms through the API (an area
# user saving a base of its area: bench/lib.sh's start_writer).
#
# Pages: the overview /, an area page /areas/{code} (logged in), the base
# list page 1 /bases (logged in), GET /api/v1/progress, a base's evaluation
# page /bases/{id}/evaluation (logged in), 工作台 /workbench (logged in as a
# viewer, and as the office: bench-office, role admin), and the competition
# page and a published bulletin's page /bulletins/{id} (the office makes and
# publishes one for the plan's last December when there is none) when the
# binary has them (else a row says they are MISSING). The area page and the evaluation are of areas
# other than the reporter's; the overview, the list, the country's progress
# and the viewer's 工作台 count the reporter's area, so every change drops
# them. First an embedded asset (/static/style.css): the server's own
# floor, no page code. Then the same pages with the page cache off (serve
# --page-cache 0), the reporter still writing: each one made afresh, what
# the first request after a change costs. The peak RSS of `serve` under this load (sampled) and over
# its whole run, logins included (/usr/bin/time -v around the server).
# ONLY=REGEX runs only the pages whose name matches (asset, overview,
# area:CODE, bases-p1, api-progress, evaluation, workbench,
# workbench-office, competition, bulletin).
. "$(dirname "$0")/lib.sh"

for scale in "$@"; do
	db=$(db_of "$scale")
	ensure_user "$db"
	area=$(upper_area_of "$scale")
	base_id=$(sqlite3 "$db" "SELECT min(id) FROM base WHERE review_status = 'approved'")
	warea=$(writer_area "$db" "$area" "$base_id")
	wbase=$(sqlite3 "$db" "SELECT max(id) FROM base WHERE review_status = 'approved' AND area = '$warea'")
	ensure_writer "$warea" "$db"
	ensure_office "$db"
	timefile="$WORK/serve-time.$scale"
	# /usr/bin/time -v around serve gives its peak RSS when it stops.
	log=$(mktemp "$WORK/serve.XXXXXX") # new: not an earlier server's "listening" line
	/usr/bin/time -v -o "$timefile" "$BIN" serve --db "$db" --listen 127.0.0.1:0 --threads "$THREADS" --max-per-address 0 --quiet >"$log" 2>&1 &
	TPID=$!
	started_pids="$started_pids $TPID"
	PORT=""
	for _ in $(seq 500); do
		PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
		[ -n "$PORT" ] && break
		sleep 0.01
	done
	SPID=$(pgrep -P "$TPID" | head -n 1)
	started_pids="$started_pids $SPID"
	base="http://127.0.0.1:$PORT"
	login "$base" "$BENCH_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $BENCH_USER"; exit 1; }
	cookie=$COOKIE
	login "$base" "$WRITER_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $WRITER_USER"; exit 1; }
	wcookie=$COOKIE wcsrf=$CSRF
	login "$base" "$OFFICE_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $OFFICE_USER"; exit 1; }
	ocookie=$COOKIE
	# a published bulletin (the plan's last December), its page as a viewer reads it
	published_bulletin "$base" "$ocookie" "$CSRF" "$(sqlite3 "$db" "SELECT max(year) FROM plan_year")-12"

	# The same bytes, fetched once, for nginx.
	www=$(mktemp -d "$WORK/www.XXXXXX")
	pages="asset|/static/style.css|
overview|/|
area:$area|/areas/$area|$cookie
bases-p1|/bases|$cookie
api-progress|/api/v1/progress|
evaluation|/bases/$base_id/evaluation|$cookie
workbench|/workbench|$cookie
workbench-office|/workbench|$ocookie
competition|/competition|$cookie
bulletin|/bulletins/${BULLETIN:-none}|$cookie"
	# ONLY=REGEX: only the pages whose name matches (grep -E, whole name),
	# e.g. ONLY=workbench-office or ONLY='overview|bases-p1'
	if [ -n "${ONLY:-}" ]; then
		pages=$(printf '%s\n' "$pages" | grep -E "^(${ONLY})\|") || { say "bench: ONLY=$ONLY names no page"; exit 1; }
	fi
	while IFS='|' read -r name path ck; do
		file="$www/$(echo "$name" | tr ':/' '__').html"
		code=$(curl -s -o "$file" -w '%{http_code}' ${ck:+-H "Cookie: $ck"} "$base$path")
		if [ "$code" != 200 ]; then
			if [ "$name" = evaluation ] || [ "$name" = competition ] || [ "$name" = bulletin ]; then
				row pages "$scale" "$name $path" "MISSING (HTTP $code)" "-" "-" "≥0.5×" "MISSING: no such page in this binary"
			else
				row pages "$scale" "$name $path" "HTTP $code" "-" "-" "-" "FAILED"
			fi
			rm -f "$file"
		fi
	done <<EOF
$pages
EOF
	start_nginx "$www"
	rm -f "$WORK/nginx-rps.$scale"
	# The peak RSS under this load: sampled every 50 ms from /proc (the
	# whole run's peak, from /usr/bin/time, includes start-up and the login,
	# whose argon2id hashes take 64 MiB each).
	rm -f "$WORK/rss.$scale"
	(
		m=0
		while kill -0 "$SPID" 2>/dev/null; do
			r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SPID/status" 2>/dev/null)
			[ "${r:-0}" -gt "$m" ] && m=$r && echo "$m" >"$WORK/rss.$scale"
			sleep 0.05
		done
	) &
	SAMPLER=$!
	started_pids="$started_pids $SAMPLER"
	# the reporter: a change every 100 ms while every page below is measured
	npages=$(echo "$pages" | wc -l)
	start_writer "$base" "$wcookie" "$wcsrf" "/api/v1/bases/$wbase" $((ROUNDS * 2 * (DUR + 1) * npages + 60))
	while IFS='|' read -r name path ck; do
		file="$(echo "$name" | tr ':/' '__').html"
		[ -f "$www/$file" ] || continue
		bytes=$(stat -c %s "$www/$file")
		run_pair "$base$path" "$ck" "http://127.0.0.1:$NPORT/$file"
		o_rps=$O_RPS o_p50=$O_P50 o_p99=$O_P99 o_bad=$O_BAD
		n_rps=$N_RPS n_p50=$N_P50 n_p99=$N_P99
		ratio=$(calc "$o_rps / ($n_rps > 0 ? $n_rps : 1)")
		verdict=$(awk -v r="$ratio" -v p="$o_p99" 'BEGIN { v = (r >= 0.5 ? "met" : "missed (" r "×)"); \
			v = v ", p99 " (p <= 10 ? "met" : "missed (" p " ms)"); print v }')
		[ -n "$o_bad" ] && verdict="$verdict; $o_bad non-2xx answers"
		row pages "$scale" "$name $path ($bytes B), a change every 100 ms" "$o_rps req/s, p50 $o_p50 ms, p99 $o_p99 ms" \
			"nginx $n_rps req/s, p50 $n_p50 ms, p99 $n_p99 ms" "$ratio" "≥0.5×, p99≤10 ms" "$verdict"
		echo "$name $n_rps" >>"$WORK/nginx-rps.$scale"
	done <<EOF
$pages
EOF
	stop_writer
	row pages "$scale" "the reporter ($WRITER_USER, area $warea): PATCH /api/v1/bases/$wbase during the runs above" \
		"$WRITES changes committed, $WRITE_RATE/s" "-" "-" "one per 100 ms" "-"
	stop_nginx
	rm -rf "$www"
	kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$SAMPLER" | tr '\n' ' ')
	hwm_kb=$(cat "$WORK/rss.$scale" 2>/dev/null)
	# Stop the server (SIGTERM to hatchery itself; time then reports).
	kill "$SPID" 2>/dev/null
	wait "$TPID" 2>/dev/null
	started_pids=$(echo "$started_pids" | tr ' ' '\n' | grep -vx "$TPID" | grep -vx "$SPID" | tr '\n' ' ')
	rm -f "$log"
	rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$timefile")
	goal=- verdict=-
	if [ "$scale" = national ]; then
		goal="≤64 MB"
		verdict=$(awk -v m="${hwm_kb:-0}" 'BEGIN { print (m / 1024 <= 64 ? "met" : "missed (" int(m / 1024) " MB)") }')
	fi
	row memory "$scale" "peak RSS of serve during the load above (VmRSS sampled every 50 ms)" \
		"$(calc "${hwm_kb:-0} / 1024" 1) MB" "-" "-" "$goal" "$verdict"
	goal=- verdict="a login hashes the password with argon2id (32 MiB)"
	if [ "$scale" = national ]; then
		goal="≤64 MB"
		verdict="$(awk -v m="${rss_kb:-0}" 'BEGIN { print (m / 1024 <= 64 ? "met" : "missed (" int(m / 1024) " MB)") }'); $verdict"
	fi
	row memory "$scale" "peak RSS of serve over its whole run (/usr/bin/time -v: start-up, two logins, load, the reporter's changes)" \
		"$(calc "${rss_kb:-0} / 1024" 1) MB" "-" "-" "$goal" "$verdict"

	# The same pages made afresh on every request (serve --page-cache 0):
	# what the first request after a change costs, at load, while the
	# reporter goes on committing a change every 100 ms.
	start_server "$db" --page-cache 0
	base="http://127.0.0.1:$PORT"
	login "$base" "$BENCH_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $BENCH_USER"; exit 1; }
	vcookie2=$COOKIE
	login "$base" "$OFFICE_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $OFFICE_USER"; exit 1; }
	ocookie2=$COOKIE
	login "$base" "$WRITER_USER" "$BENCH_PASSWORD" || { say "bench: cannot log in as $WRITER_USER"; exit 1; }
	wcookie2=$COOKIE wcsrf2=$CSRF
	# The reporter writes here too: whatever the server keeps below the
	# page cache must follow its changes (dropped by the area they touch).
	start_writer "$base" "$wcookie2" "$wcsrf2" "/api/v1/bases/$wbase" $(((DUR + 1) * npages + 60))
	while IFS='|' read -r name path ck; do
		[ "$name" = asset ] && continue
		n_rps=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/nginx-rps.$scale" 2>/dev/null)
		[ -n "$n_rps" ] || continue
		c2=${ck:+$vcookie2}
		[ -n "$ck" ] && [ "$ck" = "$ocookie" ] && c2=$ocookie2
		run_wrk "$base$path" "$c2"
		ratio=$(calc "$RPS / ($n_rps > 0 ? $n_rps : 1)")
		row pages "$scale" "$name $path made on every request (--page-cache 0)" \
			"$RPS req/s, p50 $P50 ms, p99 $P99 ms" "nginx $n_rps req/s (above)" "$ratio" "≥0.25×" \
			"$(awk -v r="$ratio" 'BEGIN { print (r >= 0.25 ? "met" : "missed (" r "×)") }')"
	done <<EOF
$pages
EOF
	stop_writer
	row pages "$scale" "the reporter ($WRITER_USER, area $warea): PATCH /api/v1/bases/$wbase during the runs made afresh" \
		"$WRITES changes committed, $WRITE_RATE/s" "-" "-" "one per 100 ms" "-"
	stop_server

	rm -f "$WORK/nginx-rps.$scale"
done
