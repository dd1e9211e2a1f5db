/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vmq generic netlink family: the userspace API.
 *
 * Written by hand to match Documentation/netlink/specs/vmq.yaml, laid out
 * the way the kernel's ynl-gen lays out its uapi headers.  Shared by the
 * module (kmod/) and vmqctl (tools/vmqctl/): this is the one copy.
 */
#ifndef _UAPI_LINUX_VMQ_H
#define _UAPI_LINUX_VMQ_H

#define VMQ_FAMILY_NAME		"vmq"
#define VMQ_FAMILY_VERSION	1

/*
 * How a team's queues are counted and placed, after Windows NIC teaming.
 * AUTO is only ever requested: a team's effective queue mode is MIN or SUM.
 */
enum vmq_team_mode {
	VMQ_TEAM_MODE_AUTO,
	VMQ_TEAM_MODE_MIN,
	VMQ_TEAM_MODE_SUM,

	/* private: */
	__VMQ_TEAM_MODE_MAX,
	VMQ_TEAM_MODE_MAX = (__VMQ_TEAM_MODE_MAX - 1)
};

enum {
	VMQ_A_MEMBER_IFINDEX = 1,
	VMQ_A_MEMBER_IFNAME,

	__VMQ_A_MEMBER_MAX,
	VMQ_A_MEMBER_MAX = (__VMQ_A_MEMBER_MAX - 1)
};

enum {
	VMQ_A_TEAM_IFINDEX = 1,
	VMQ_A_TEAM_IFNAME,
	VMQ_A_TEAM_MODE,
	VMQ_A_TEAM_QUEUE_MODE,
	VMQ_A_TEAM_MODE_REASON,
	VMQ_A_TEAM_MEMBER,
	VMQ_A_TEAM_RX_PACKETS,
	VMQ_A_TEAM_RX_BYTES,
	VMQ_A_TEAM_PAD,

	__VMQ_A_TEAM_MAX,
	VMQ_A_TEAM_MAX = (__VMQ_A_TEAM_MAX - 1)
};

enum {
	VMQ_CMD_TEAM_GET = 1,
	VMQ_CMD_TEAM_ATTACH,
	VMQ_CMD_TEAM_DETACH,

	__VMQ_CMD_MAX,
	VMQ_CMD_MAX = (__VMQ_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_VMQ_H */
