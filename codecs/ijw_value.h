/*
 * ijw_value.h: the value types of the standard that need more than a pattern:
 * calendar dates and the BSN's 11-proef.
 */
#ifndef IJW_VALUE_H
#define IJW_VALUE_H

#include <limits.h>
#include <stdbool.h>

/* A date as a day number: days since 1970-01-01 (negative before it). */
typedef long ijw_day;

/* Later than every date: the end of an open period. */
#define IJW_DAY_MAX LONG_MAX

/* Room for a date as text (a year of nine digits and a sign need 17 bytes). */
#define IJW_DATE_SIZE 24

/*
 * Parses a date as XML Schema writes one without a time zone, into a day
 * number: "YYYY-MM-DD", where the year may have more than four digits (then
 * without leading zero) and a minus sign, and is not 0000. Years of more than
 * nine digits are refused. False for any other form and for dates that do not
 * exist (2023-02-30).
 */
bool ijw_date_parse(const char *s, ijw_day *day);
/* The day of date s as ijw_date_parse() reads it; none when s is NULL, "" or not a date. */
ijw_day ijw_date_or(const char *s, ijw_day none);
/* Writes day as "YYYY-MM-DD" into out, which holds IJW_DATE_SIZE bytes. */
void ijw_date_format(ijw_day day, char *out);
/* The day number of a calendar date; month 1-12. */
ijw_day ijw_date_from_ymd(int year, int month, int mday);
/* Splits a day number into its calendar date. */
void ijw_date_to_ymd(ijw_day day, int *year, int *month, int *mday);
/* The number of days of a month of a year. */
int ijw_month_days(int year, int month);

/*
 * Today in the Netherlands, from the system clock. The Dutch date is at most
 * two hours ahead of UTC, so this is the UTC date two hours from now: it never
 * falls behind the Dutch date, and runs ahead of it by at most an hour.
 */
ijw_day ijw_today(void);

/*
 * Whether bsn is nine digits that pass the 11-proef: 9*d1 + 8*d2 + ... +
 * 2*d8 - d9 is a multiple of 11.
 */
bool ijw_bsn_valid(const char *bsn);

/* Writes an amount in cents as euros, "1234.05" or "-0.50", into out (24 bytes hold any). */
void ijw_cents_format(long long cents, char *out, size_t size);

#endif
