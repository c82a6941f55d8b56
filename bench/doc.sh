#!/bin/bash
# bench/doc.sh SCALE... — a bulletin for the whole scale as PDF and .docx
# (issue 20, Deliver 4): time and peak memory.
#
# For each scale's database:
#   - the command line: `hatchery bulletin make --period P --draft --format F`
#     (the bulletin made from the data now and rendered, as the office's
#     preview), wall time and peak RSS from /usr/bin/time -v;
#   - the server: the office (bench-office, role admin) finds the newest
#     published bulletin (or makes and publishes one for the plan's last
#     full month), then downloads GET /bulletins/ID/file/pdf and /file/docx
#     twice each: the first is made by the renderer child (render_child.c),
#     the second read from bulletin_file (the kept file). The kept files are
#     deleted before, so the first download makes them again. The server's
#     VmHWM (/proc/PID/status) after start-up and login, and after the four
#     downloads; goal ≤ 64 MB.
. "$(dirname "$0")/lib.sh"

# peak_mb PID: VmHWM in MB
peak_mb() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

for scale in "$@"; do
	db=$(db_of "$scale")
	[ -f "$db" ] || { say "bench: $db is missing (bench/data.sh --gen $scale)"; continue; }
	say "== doc: $scale"
	ensure_office "$db"
	start_server "$db" || { row doc "$scale" "bulletin files" "FAILED: the server did not start" - - - -; continue; }
	base="http://127.0.0.1:$PORT"
	if ! login "$base" "$OFFICE_USER" "$BENCH_PASSWORD"; then
		row doc "$scale" "bulletin files" "FAILED: $OFFICE_USER could not log in" - - - -
		stop_server
		continue
	fi
	published_bulletin "$base" "$COOKIE" "$CSRF" "$(sqlite3 "$db" "SELECT max(year) FROM plan_year")-12"
	if [ -z "${BULLETIN:-}" ]; then
		row doc "$scale" "bulletin files" "MISSING: no published bulletin" - - - "MISSING"
		stop_server
		continue
	fi
	period=$(curl -s -H "Cookie: $COOKIE" "$base/api/v1/bulletins/$BULLETIN" | sed -n 's/.*"period": *"\([0-9-]*\)".*/\1/p' | head -n 1)
	sqlite3 "$db" "DELETE FROM bulletin_file WHERE bulletin_id = $BULLETIN" 2>/dev/null
	before=$(peak_mb "$SPID")
	declare -A first second size
	ok=1
	for f in pdf docx; do
		for k in 1 2; do
			out=$(curl -s -o "$WORK/doc.$f" -w '%{http_code} %{time_total} %{size_download}' -H "Cookie: $COOKIE" \
				"$base/bulletins/$BULLETIN/file/$f")
			read -r code secs bytes <<<"$out"
			[ "$code" = 200 ] || { ok=0; say "bench: GET /bulletins/$BULLETIN/file/$f answered $code"; }
			ms=$(calc "$secs * 1000" 0)
			if [ $k = 1 ]; then first[$f]=$ms; else second[$f]=$ms; fi
			size[$f]=$(calc "$bytes / 1024" 0)
		done
	done
	after=$(peak_mb "$SPID")
	stop_server
	rm -f "$WORK/doc.pdf" "$WORK/doc.docx"

	for f in pdf docx; do
		tf="$WORK/doc-time.$f"
		if /usr/bin/time -v -o "$tf" "$BIN" bulletin make --db "$db" --period "$period" --draft --format $f \
			-o "$WORK/cli.$f" >/dev/null 2>&1; then
			secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$tf")
			rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tf")
			row doc "$scale" "bulletin make --period $period --draft --format $f (made from the data now; $(du -k "$WORK/cli.$f" | cut -f1) kB)" \
				"$secs s, peak RSS $rss MB" - - - -
		else
			row doc "$scale" "bulletin make --period $period --draft --format $f" "FAILED" - - - -
		fi
		rm -f "$tf" "$WORK/cli.$f"
	done
	if [ $ok = 1 ]; then
		for f in pdf docx; do
			row doc "$scale" "GET /bulletins/$BULLETIN/file/$f, published (${size[$f]} kB): first (made by the renderer child), second (kept)" \
				"first ${first[$f]} ms, second ${second[$f]} ms" - - - -
		done
		verdict=$(awk -v a="$after" 'BEGIN { print (a <= 64 ? "met" : "missed") }')
		row memory "$scale" "serve's VmHWM after start-up and the office's login → after the PDF and .docx downloaded twice each" \
			"$before MB → $after MB" - - "≤64 MB" "$verdict"
	else
		row doc "$scale" "GET /bulletins/$BULLETIN/file/pdf|docx" "FAILED" - - - -
	fi
done
