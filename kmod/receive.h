/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: sealed packets arriving on the underlay.
 */
#ifndef _GEM_RECEIVE_H
#define _GEM_RECEIVE_H

struct gem_dev;
struct net;

int gem_receive_hook_register(struct gem_dev *gem);
void gem_receive_hook_unregister(struct gem_dev *gem);
int gem_receive_backstop_register(struct net *net);
void gem_receive_backstop_unregister(struct net *net);

#endif /* _GEM_RECEIVE_H */
