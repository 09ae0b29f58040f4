#ifndef CW_SGR_H
#define CW_SGR_H

/*
 * The terminal's control sequences, written here only: colours (SGR)
 * and the two erasures the live views use. Whether to colour at all is
 * decided once, by cw_term_color() (lib/term.h).
 */
#define CW_SGR_RESET "\033[0m"
#define CW_SGR_BOLD "\033[1m"
#define CW_SGR_DIM "\033[2m"
#define CW_SGR_REVERSE "\033[7m"
#define CW_SGR_RED "\033[31m"
#define CW_SGR_GREEN "\033[32m"
#define CW_SGR_YELLOW "\033[33m"
#define CW_SGR_BLUE "\033[34m"
#define CW_SGR_MAGENTA "\033[35m"
#define CW_SGR_CYAN "\033[36m"
#define CW_SGR_BRIGHT_GREEN "\033[92m"
#define CW_SGR_BRIGHT_MAGENTA "\033[95m"
#define CW_SGR_BRIGHT_CYAN "\033[96m"

/* Back to the start of the line, the line erased (progress lines). */
#define CW_TERM_ERASE_LINE "\r\033[K"
/* Home, the screen erased (a --watch redraw). */
#define CW_TERM_ERASE_SCREEN "\033[H\033[2J"

#endif
