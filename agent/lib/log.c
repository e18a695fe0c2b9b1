// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's log lines.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

int gem_log_max = GEM_LOG_INFO;

void gem_log(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (level > gem_log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "<%d>gemd: %s\n", level, line);
}
