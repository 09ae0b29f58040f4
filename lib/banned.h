#ifndef CW_BANNED_H
#define CW_BANNED_H

/*
 * Functions that overflow, truncate silently or use static state. Include
 * this last in every .c file of the project; a banned call fails to compile.
 */
#define CW_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) CW_BANNED(strcpy)
#undef strcat
#define strcat(x, y) CW_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CW_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) CW_BANNED(strncat)
#undef strtok
#define strtok(x, y) CW_BANNED(strtok)
#undef sprintf
#define sprintf(...) CW_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CW_BANNED(vsprintf)
#undef gmtime
#define gmtime(t) CW_BANNED(gmtime)
#undef localtime
#define localtime(t) CW_BANNED(localtime)
#undef ctime
#define ctime(t) CW_BANNED(ctime)
#undef asctime
#define asctime(t) CW_BANNED(asctime)
#undef gets
#define gets(x) CW_BANNED(gets)
#undef atoi
#define atoi(x) CW_BANNED(atoi)

#endif
