/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemctl group|tx|rx: a gem device's protected groups and stream keys.
 */
#ifndef GEM_CONF_H
#define GEM_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/gem_nl.h"
#include "lib/json.h"
#include "lib/addr.h"

/* What every gemctl command works with. */
struct gemctl_env {
	bool json;
	struct gem_nl nl;
	struct json j;
};

int gemctl_conf(struct gemctl_env *env, const char *what, int argc, char **argv);

#endif /* GEM_CONF_H */
