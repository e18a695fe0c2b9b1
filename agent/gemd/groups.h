/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The groups gemd gives gem.ko: for each configured gem device, every
 * group prefix it is authorized for, with the GAK's data-tag subkey.
 */
#ifndef GEM_GEMD_GROUPS_H
#define GEM_GEMD_GROUPS_H

#include <stddef.h>

#include "gemd_conf.h"

/*
 * Installs the groups of c on its devices. A device that is missing is
 * reported and skipped; returns how many groups were installed, or -1
 * when gem.ko cannot be reached (the reason in err).
 */
int gemd_groups_install(const struct gemd_conf *c, char *err, size_t errlen);

#endif /* GEM_GEMD_GROUPS_H */
