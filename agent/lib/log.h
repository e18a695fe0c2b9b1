/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's log: one line per event on stderr, led by a syslog level in the
 * "<N>" form the systemd journal reads.
 */
#ifndef GEM_LOG_H
#define GEM_LOG_H

enum gem_log_level { GEM_LOG_ERR = 3, GEM_LOG_WARNING = 4, GEM_LOG_INFO = 6, GEM_LOG_DEBUG = 7 };

extern int gem_log_max;		/* levels above this are not written */

void gem_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* GEM_LOG_H */
