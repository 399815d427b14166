/*
 * ijw_value.c: dates (proleptic Gregorian, by Howard Hinnant's civil-day
 * algorithms) and the 11-proef.
 */
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
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

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
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > ijw_month_days(y, m))
		return false;
	*day = ijw_date_from_ymd(y, m, d);
	return true;
}

void
ijw_date_format(ijw_day day, char *out)
{
	int y, m, d;

	ijw_date_to_ymd(day, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
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
