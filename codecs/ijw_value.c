/*
 * ijw_value.c: dates (proleptic Gregorian, by Howard Hinnant's civil-day
 * algorithms) and the 11-proef.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ijw_value.h"

ijw_day
ijw_date_from_ymd(int year, int month, int mday)
{
	long y = year - (month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
ijw_date_to_ymd(ijw_day day, int *year, int *month, int *mday)
{
	long z = day + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long m = mp < 10 ? mp + 3 : mp - 9;

	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

int
ijw_month_days(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; /* also below 0 */

	return month == 2 && leap ? 29 : days[month - 1];
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
ijw_date_parse(const char *s, ijw_day *day)
{
	bool negative = *s == '-';
	size_t ny;
	long y = 0;
	int m, d;

	s += negative;
	ny = strspn(s, "0123456789");
	if (ny < 4 || ny > 9 || (ny > 4 && s[0] == '0') || strlen(s + ny) != 6 || s[ny] != '-' ||
	    s[ny + 3] != '-')
		return false;
	for (size_t i = 0; i < ny; i++)
		y = y * 10 + (s[i] - '0');
	m = digits(s + ny + 1, 2);
	d = digits(s + ny + 4, 2);
	if (y == 0 || m < 1 || m > 12 || d < 1)
		return false;
	if (negative)
		y = -y;
	if (d > ijw_month_days((int)y, m))
		return false;
	*day = ijw_date_from_ymd((int)y, m, d);
	return true;
}

ijw_day
ijw_date_or(const char *s, ijw_day none)
{
	ijw_day d;

	return s && *s && ijw_date_parse(s, &d) ? d : none;
}

void
ijw_date_format(ijw_day day, char *out)
{
	int y, m, d;

	ijw_date_to_ymd(day, &y, &m, &d);
	snprintf(out, IJW_DATE_SIZE, "%s%04d-%02u-%02u", y < 0 ? "-" : "", y < 0 ? -y : y,
	         (unsigned char)m, (unsigned char)d);
}

bool
ijw_bsn_valid(const char *bsn)
{
	int sum = 0;

	if (strlen(bsn) != 9 || digits(bsn, 9) < 0)
		return false;
	for (int i = 0; i < 8; i++)
		sum += (9 - i) * (bsn[i] - '0');
	sum -= bsn[8] - '0';
	return sum % 11 == 0;
}

ijw_day
ijw_today(void)
{
	return (ijw_day)((time(NULL) + 2 * 3600) / 86400);
}

void
ijw_cents_format(long long cents, char *out, size_t size)
{
	unsigned long long abs =
	        cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;

	snprintf(out, size, "%s%llu.%02llu", cents < 0 ? "-" : "", abs / 100, abs % 100);
}
