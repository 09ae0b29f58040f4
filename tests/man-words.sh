#!/bin/sh
# man-words.sh PAGE...: the mdoc mistake mandoc -Tlint does not see, a
# word meant as text that mdoc reads as a macro and drops: "No" in
#   .Dl No changes.
#   .Dl cw-filter: app.log: No such file or directory
# renders "changes." and "such file or directory". Flagged, with
# file:line: an English word that is a callable macro (No, At, In, An,
# Ad, Em, Ex, Er) first on a display, item or heading line before a word
# in lower case; and "No" anywhere on a display line, where no macro
# needs it. \&No is the text. Exit 1 when something was found.
status=0
for f in "$@"; do
	awk -v f="$f" '
	/^\.(Dl|D1|It|Sh|Ss|Nd|Pp) / {
		if ($2 ~ /^(No|At|In|An|Ad|Em|Ex|Er)$/ && $3 ~ /^[a-z]/) {
			printf "%s:%d: %s read as a macro: write \\&%s\n", f, NR, $2, $2
			bad = 1
			next
		}
	}
	/^\.(Dl|D1) / {
		for (i = 2; i <= NF; i++)
			if ($i == "No") {
				printf "%s:%d: No read as a macro: write \\&No\n", f, NR
				bad = 1
				break
			}
	}
	END { exit bad }' "$f" || status=1
done
exit $status
