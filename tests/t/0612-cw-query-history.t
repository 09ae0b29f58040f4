#!/bin/sh
# cw-query's history file: made 0600 whatever its mode was, written
# through the user's own symbolic link, and never through another
# user's link nor into another user's file (one warning, the session
# goes on without history).
. "$(dirname "$0")/query.sh"

# hsession FILE: a session that runs one query, lists the history and
# quits, with FILE as the history file.
hsession() {
	CWQUERY_HISTFILE=$1 session 'wait \]> ' 'send fields level | limit 1\n' \
		'wait 1 row;' 'wait \]> ' 'send .history\n' 'wait \]> ' \
		'send .quit\n'
}
mode() { stat -c %a "$1"; }
owner() { stat -c %U "$1"; }
warnings() { printf '%s\n' "$screen" | grep -c 'history file' | tr -d ' '; }

# An existing file that others may read is made private.
printf 'fields @message\n' >"$T/h1"
chmod 644 "$T/h1"
hsession "$T/h1"
is "$rc" 0 "an existing history file: exit 0"
is "$(mode "$T/h1")" 600 "an existing 0644 history file: made 0600"
is "$(cat "$T/h1")" 'fields @message
fields level | limit 1
.history
.quit' "the session's entries appended to the old ones"
like "$screen" ' 1  fields @message' "the old entries were read"
is "$(warnings)" 0 "no warning"

# 500 entries kept: the oldest go; a last line without a newline stays
# whole.
seq 1 600 | sed 's/^/fields x/' >"$T/h5"
printf 'fields last' >>"$T/h5"
hsession "$T/h5"
is "$(wc -l <"$T/h5" | tr -d ' ')" 500 "500 entries kept"
is "$(head -n 1 "$T/h5"):$(sed -n 497p "$T/h5"):$(tail -n 1 "$T/h5")" \
	"fields x105:fields last:.quit" "the oldest dropped, the rest in order"

# The user's own link is followed; the link stays a link.
printf 'fields @message\n' >"$T/h2"
chmod 644 "$T/h2"
ln -s "$T/h2" "$T/link2"
hsession "$T/link2"
is "$rc" 0 "own symbolic link: exit 0"
check "own symbolic link: still a link" test -L "$T/link2"
is "$(mode "$T/h2")" 600 "own symbolic link: its file made 0600"
is "$(sed -n 2p "$T/h2")" 'fields level | limit 1' \
	"own symbolic link: the history written through it"
is "$(warnings)" 0 "own symbolic link: no warning"

if [ "$(id -u)" = 0 ]; then
	# Another user's link to the user's file: planted, not followed.
	printf 'keep\n' >"$T/victim"
	chmod 644 "$T/victim"
	ln -s "$T/victim" "$T/link3"
	chown -h nobody "$T/link3"
	hsession "$T/link3"
	is "$rc" 0 "another user's link: the session goes on, exit 0"
	like "$screen" "^cw-query: history file $T/link3: a symbolic link owned by another user: history not read or saved$" \
		"another user's link: one line says why"
	is "$(warnings)" 1 "another user's link: one warning only"
	unlike "$screen" ' 1  keep' "another user's link: nothing read through it"
	is "$(cat "$T/victim"):$(mode "$T/victim")" "keep:644" \
		"another user's link: the file behind it untouched"
	check "another user's link: still a link" test -L "$T/link3"

	# The user's link to another user's file, and another user's file.
	printf 'theirs\n' >"$T/theirs"
	chmod 666 "$T/theirs"
	chown nobody "$T/theirs"
	ln -s "$T/theirs" "$T/link4"
	hsession "$T/link4"
	like "$screen" "history file $T/link4: a file owned by another user: history not read or saved" \
		"a link to another user's file: refused"
	hsession "$T/theirs"
	is "$rc" 0 "another user's file: exit 0"
	like "$screen" "history file $T/theirs: a file owned by another user: history not read or saved" \
		"another user's file: refused"
	is "$(cat "$T/theirs"):$(mode "$T/theirs"):$(owner "$T/theirs")" \
		"theirs:666:nobody" "another user's file: untouched"
else
	# Not root: a link root owns stands for another user's.
	link=$(find /etc /usr/bin -maxdepth 2 -type l -user root 2>/dev/null \
		| grep -E '^[A-Za-z0-9/_-]+$' | head -n 1)
	hsession "$link"
	is "$rc" 0 "another user's link: the session goes on, exit 0"
	like "$screen" "^cw-query: history file $link: a symbolic link owned by another user: history not read or saved$" \
		"another user's link: one line says why"
	is "$(warnings)" 1 "another user's link: one warning only"
fi

# Not a regular file: refused too, the session goes on.
mkdir "$T/dir"
hsession "$T/dir"
is "$rc" 0 "a directory: exit 0"
like "$screen" "history file $T/dir: " "a directory: refused with a reason"

done_testing
