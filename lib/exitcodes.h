#ifndef CW_EXITCODES_H
#define CW_EXITCODES_H

/* One table for the whole suite; every man page documents it. */
enum {
	CW_EXIT_OK = 0,		/* success */
	CW_EXIT_NO = 1,		/* the documented "no": nothing matched, differences found */
	CW_EXIT_ERROR = 2,	/* usage, input, AWS or network error */
	CW_EXIT_INTERRUPTED = 130	/* clean stop after SIGINT */
};

#endif
