#!/bin/bash
# bench/burst.sh SCALE... — the kept figures after a burst of writes equal a
# full recomputation (issue 20, Done when).
#
# Against each scale's database, a server takes a burst of changes that move
# the figures: two clients at once, as the office (admin) over the API,
# create projects and funds, move a project's 落地日期 across a year end,
# change a fund's 成立日期 and delete some of what they created; BURST
# changes in all (default 400), bounded by BURST_SECONDS (default 60). Then
# the server is stopped and `hatchery check` compares every kept total
# (measure_total, record_count) with a full recomputation from the records.
# The row says how many changes were committed, the time they took, and
# whether the figures are equal; "FIGURES DIFFER" fails bench/run.
. "$(dirname "$0")/lib.sh"

BURST=${BURST:-400}
BURST_SECONDS=${BURST_SECONDS:-60}

# one client: N changes, each a create, a date move or a delete, in turn;
# prints "sent ok" at the end.
burst_client() { # base cookie csrf area n tag
	local base=$1 cookie=$2 csrf=$3 area=$4 n=$5 tag=$6 i ok=0 code id end=$((SECONDS + BURST_SECONDS))
	local ids=()
	for ((i = 1; i <= n && SECONDS < end; i++)); do
		case $((i % 5)) in
		1 | 2)
			id=$(curl -s -X POST -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
				-d "{\"name\":\"突发写入项目 $tag-$i\",\"kind\":\"project\",\"area\":\"$area\",\"arrived_on\":\"$((2022 + i % 3))-12-31\"}" \
				"$base/api/v1/projects" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -n 1)
			[ -n "$id" ] && { ids+=("$id"); ok=$((ok + 1)); } ;;
		3)
			code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
				-H 'Content-Type: application/json' \
				-d "{\"name\":\"突发写入基金 $tag-$i\",\"area\":\"$area\",\"stage\":\"angel\",\"origin\":\"new\",\"established_on\":\"2024-0$((1 + i % 9))-15\",\"size_yuan\":$((1000000 + i))}" \
				"$base/api/v1/funds")
			case $code in 2*) ok=$((ok + 1)) ;; *) echo "burst: $code" >&2 ;; esac ;;
		4)
			[ ${#ids[@]} -gt 0 ] || continue
			code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
				-H 'Content-Type: application/json' -d "{\"arrived_on\":\"$((2023 + i % 2))-01-01\"}" \
				"$base/api/v1/projects/${ids[-1]}")
			case $code in 2*) ok=$((ok + 1)) ;; *) echo "burst: $code" >&2 ;; esac ;;
		0)
			[ ${#ids[@]} -gt 1 ] || continue
			code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
				"$base/api/v1/projects/${ids[0]}")
			ids=("${ids[@]:1}")
			case $code in 2*) ok=$((ok + 1)) ;; *) echo "burst: $code" >&2 ;; esac ;;
		esac
	done
	echo "$((i - 1)) $ok"
}

for scale in "$@"; do
	db=$(db_of "$scale")
	[ -f "$db" ] || { say "bench: $db is missing (bench/data.sh --gen $scale)"; continue; }
	say "== burst: $scale"
	area=$(leaf_area_of "$scale")
	start_server "$db" || { row burst "$scale" "a burst of writes" "FAILED: the server did not start" - - - -; continue; }
	base="http://127.0.0.1:$PORT"
	if ! login "$base" admin "$HATCHERY_ADMIN_PASSWORD"; then
		stop_server
		row burst "$scale" "a burst of writes" "FAILED: admin could not log in" - - - -
		continue
	fi
	t0=$EPOCHREALTIME
	burst_client "$base" "$COOKIE" "$CSRF" "$area" $((BURST / 2)) "a$(date +%s)" >"$WORK/burst.a" &
	pa=$!
	burst_client "$base" "$COOKIE" "$CSRF" "$area" $((BURST / 2)) "b$(date +%s)" >"$WORK/burst.b" &
	pb=$!
	started_pids="$started_pids $pa $pb"
	wait "$pa" "$pb"
	t1=$EPOCHREALTIME
	stop_server
	sent=$(cat "$WORK/burst.a" "$WORK/burst.b" | awk '{ s += $1 } END { print s + 0 }')
	ok=$(cat "$WORK/burst.a" "$WORK/burst.b" | awk '{ s += $2 } END { print s + 0 }')
	secs=$(calc "$t1 - $t0" 1)
	if out=$("$BIN" check --db "$db" 2>&1); then
		verdict="met: hatchery check finds the kept totals equal to a full recomputation"
	else
		verdict="FIGURES DIFFER: $(echo "$out" | head -n 3 | tr '\n' ' ')"
	fi
	row burst "$scale" "a burst of writes that move the figures (office, 2 clients: create projects and funds, move 落地日期, delete), then hatchery check" \
		"$ok of $sent changes committed in $secs s" "full recomputation" - "equal" "$verdict"
	rm -f "$WORK/burst.a" "$WORK/burst.b"
done
