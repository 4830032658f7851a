// SPDX-License-Identifier: (MIT OR GPL-2.0)
/* The node agent's kernel side: process, file, network and privilege events into one ring buffer, and the two
 * in-kernel responses (SIGKILL on exec of a denied executable, EPERM on connect to a denied destination).
 * CO-RE: compiled once against vmlinux.h, relocated by libbpf against the running kernel's BTF. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "event.h"

#define AF_INET 2
#define AF_INET6 10
#define SIGKILL 9

/* The kernel takes GPL-compatible licenses only for bpf_probe_read_kernel and friends. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile struct agent_config agent_config = {};

/* Keeps struct event in the object's BTF, where the layout test and the loader's check find it. */
const struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by the loader before load (--node-ring-buffer-size) */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Sized for a busy node: ~110 pods x a few containers x a few policy entries each. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct exec_key);
	__type(value, struct exec_rule);
} denied_execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct destination_key);
	__type(value, struct destination_rule);
} denied_destinations SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct connect_mode);
} connect_modes SEC(".maps");

static __always_inline void count(__u32 index)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &index);
	if (value)
		*value += 1;
}

static __always_inline bool in_container(void)
{
	if (!agent_config.filter_containers)
		return true;
#pragma unroll
	for (int i = 0; i < MAX_CONTAINER_ROOTS; i++) {
		__u64 root = agent_config.roots[i].cgroup_id;
		if (root == 0)
			break;
		if (bpf_get_current_ancestor_cgroup_id(agent_config.roots[i].level) == root)
			return true;
	}
	return false;
}

static __always_inline bool should_trace(void)
{
	if (agent_config.self_pid && (bpf_get_current_pid_tgid() >> 32) == agent_config.self_pid)
		return false;
	if (in_container())
		return true;
	count(COUNTER_FILTERED);
	return false;
}

static __always_inline struct event *reserve(__u32 type)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(COUNTER_DROPS);
		return NULL;
	}
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->time_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->type = type;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* Batched wakeup: the default wakes the reader on every record (about 2 µs of kernel CPU each on this machine);
 * here the reader is woken only once wakeup_bytes are pending and otherwise drains on its short poll timeout. */
static __always_inline void submit(struct event *e)
{
	count(COUNTER_EVENTS);
	__u64 flags = BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= agent_config.wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	if (!should_trace())
		return 0;
	struct exec_key key = {};
	key.cgroup_id = bpf_get_current_cgroup_id();
	key.inode = BPF_CORE_READ(bprm, file, f_inode, i_ino);
	key.device = BPF_CORE_READ(bprm, file, f_inode, i_sb, s_dev);
	/* This cgroup's own entries (policy rules for the pod's containers) first, then the node-wide ones. */
	struct exec_rule *rule = bpf_map_lookup_elem(&denied_execs, &key);
	if (!rule) {
		key.cgroup_id = 0;
		rule = bpf_map_lookup_elem(&denied_execs, &key);
	}
	__u32 type = EVENT_EXEC;
	if (rule && rule->action == ACTION_ENFORCE) {
		/* Delivered on the way back to user space: the new image never runs an instruction. */
		bpf_send_signal(SIGKILL);
		count(COUNTER_KILLS);
		type = EVENT_EXEC_KILLED;
	}
	struct event *e = reserve(type);
	if (!e)
		return 0;
	e->exec.inode = key.inode;
	e->exec.device = key.device;
	e->exec.rule = rule ? rule->rule : 0;
	bpf_probe_read_kernel_str(e->exec.filename, sizeof(e->exec.filename), BPF_CORE_READ(bprm, filename));
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((pid_tgid >> 32) != (__u32)pid_tgid) /* a thread, not the process */
		return 0;
	if (!should_trace())
		return 0;
	struct event *e = reserve(EVENT_EXIT);
	if (!e)
		return 0;
	e->exit.exit_code = BPF_CORE_READ(task, exit_code);
	submit(e);
	return 0;
}

/* Syscall entries through one BTF-typed raw tracepoint: no tracefs needed (classic syscall tracepoints attach through
 * tracefs ids, and tracefs is often not mounted, nor mountable without CAP_SYS_ADMIN), and the first instruction
 * filters on the syscall number so the other syscalls cost a compare. */
#if defined(__TARGET_ARCH_x86)
enum { NR_openat = 257, NR_openat2 = 437, NR_connect = 42, NR_setuid = 105, NR_setgid = 106, NR_setreuid = 113,
       NR_setregid = 114, NR_setresuid = 117, NR_setresgid = 119, NR_capset = 126 };
#elif defined(__TARGET_ARCH_arm64)
enum { NR_openat = 56, NR_openat2 = 437, NR_connect = 203, NR_setuid = 146, NR_setgid = 144, NR_setreuid = 145,
       NR_setregid = 143, NR_setresuid = 147, NR_setresgid = 149, NR_capset = 91 };
#else
#error "syscall numbers for this architecture are not listed"
#endif

static __always_inline int emit_open(long dirfd, const char *path, __u64 flags, __u64 mode)
{
	struct event *e = reserve(EVENT_OPEN);
	if (!e)
		return 0;
	e->open.dirfd = (__s32)dirfd;
	e->open.flags = (__u32)flags;
	e->open.mode = (__u32)mode;
	bpf_probe_read_user_str(e->open.path, sizeof(e->open.path), path);
	submit(e);
	return 0;
}

static __always_inline int emit_connect(const void *address)
{
	__u16 family = 0;
	bpf_probe_read_user(&family, sizeof(family), address);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	struct event *e = reserve(EVENT_CONNECT);
	if (!e)
		return 0;
	e->connect.family = family;
	e->connect.rule = 0;
	__builtin_memset(e->connect.address, 0, sizeof(e->connect.address));
	if (family == AF_INET) {
		struct sockaddr_in in4 = {};
		bpf_probe_read_user(&in4, sizeof(in4), address);
		e->connect.port = bpf_ntohs(in4.sin_port);
		__builtin_memcpy(e->connect.address, &in4.sin_addr.s_addr, 4);
	} else {
		struct sockaddr_in6 in6 = {};
		bpf_probe_read_user(&in6, sizeof(in6), address);
		e->connect.port = bpf_ntohs(in6.sin6_port);
		__builtin_memcpy(e->connect.address, &in6.sin6_addr, 16);
	}
	submit(e);
	return 0;
}

static __always_inline int emit_privilege(__u32 call, long a0, long a1, long a2)
{
	struct event *e = reserve(EVENT_PRIVILEGE);
	if (!e)
		return 0;
	e->privilege.call = call;
	e->privilege.args[0] = a0;
	e->privilege.args[1] = a1;
	e->privilege.args[2] = a2;
	submit(e);
	return 0;
}

/* The uid/gid calls take 32-bit ids: -1 (unchanged) arrives as 0xffffffff in the 64-bit argument. */
#define ID(x) ((long)(__s32)(x))

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	switch (id) {
	case NR_openat: case NR_openat2: case NR_connect: case NR_setuid: case NR_setgid: case NR_setreuid:
	case NR_setregid: case NR_setresuid: case NR_setresgid: case NR_capset:
		break;
	default:
		return 0;
	}
	if (!should_trace())
		return 0;
	/* The open path is the hot one (most syscalls a container makes of those traced): its arguments are read with
	 * direct loads from the BTF-typed pt_regs (the verifier turns them into fault-safe loads) instead of four
	 * bpf_probe_read_kernel helper calls (CO-RE reads), about 4 helper calls fewer per open. */
	if (id == NR_openat)
		return emit_open(PT_REGS_PARM1_SYSCALL(regs), (const char *)PT_REGS_PARM2_SYSCALL(regs), PT_REGS_PARM3_SYSCALL(regs),
				 PT_REGS_PARM4_SYSCALL(regs));
	if (id == NR_openat2) {
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (void *)PT_REGS_PARM3_SYSCALL(regs));
		return emit_open(PT_REGS_PARM1_SYSCALL(regs), (const char *)PT_REGS_PARM2_SYSCALL(regs), how.flags, how.mode);
	}
	long a0 = PT_REGS_PARM1_CORE_SYSCALL(regs);
	long a1 = PT_REGS_PARM2_CORE_SYSCALL(regs);
	long a2 = PT_REGS_PARM3_CORE_SYSCALL(regs);
	switch (id) {
	case NR_connect:
		return emit_connect((const void *)a1);
	case NR_setuid:
		return emit_privilege(PRIV_SETUID, ID(a0), -1, -1);
	case NR_setgid:
		return emit_privilege(PRIV_SETGID, ID(a0), -1, -1);
	case NR_setreuid:
		return emit_privilege(PRIV_SETREUID, ID(a0), ID(a1), -1);
	case NR_setregid:
		return emit_privilege(PRIV_SETREGID, ID(a0), ID(a1), -1);
	case NR_setresuid:
		return emit_privilege(PRIV_SETRESUID, ID(a0), ID(a1), ID(a2));
	case NR_setresgid:
		return emit_privilege(PRIV_SETRESGID, ID(a0), ID(a1), ID(a2));
	case NR_capset: {
		struct __user_cap_data_struct data = {};
		bpf_probe_read_user(&data, sizeof(data), (void *)a1);
		return emit_privilege(PRIV_CAPSET, data.effective, data.permitted, data.inheritable);
	}
	}
	return 0;
}

/* The entry for this destination in one cgroup's part of the trie (0: the node-wide part): one naming the port wins
 * over one for every port; within each, the longest prefix. */
static __always_inline struct destination_rule *find_destination(struct destination_key *key, __u64 cgroup_id, __u16 port)
{
	__builtin_memcpy(key->cgroup_id, &cgroup_id, sizeof(cgroup_id));
	key->port = port;
	struct destination_rule *rule = bpf_map_lookup_elem(&denied_destinations, key);
	if (rule)
		return rule;
	key->port = 0;
	return bpf_map_lookup_elem(&denied_destinations, key);
}

static __always_inline int connect_verdict(struct bpf_sock_addr *ctx, struct destination_key *key, __u16 family)
{
	__u16 port = bpf_ntohs((__u16)ctx->user_port);
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	struct destination_rule *rule = find_destination(key, cgroup_id, port);
	/* Node-wide entries (--node-deny-connect) hold whatever a pod's policy allows. */
	if (!rule || rule->action == ACTION_ALLOW) {
		struct destination_rule *node = find_destination(key, 0, port);
		if (node)
			rule = node;
	}
	__u32 number, action;
	if (rule) {
		number = rule->rule;
		action = rule->action;
	} else {
		struct connect_mode *mode = bpf_map_lookup_elem(&connect_modes, &cgroup_id);
		if (!mode)
			return 1;
		number = mode->rule;
		action = mode->action;
	}
	if (action == ACTION_ALLOW)
		return 1;
	if (action == ACTION_ENFORCE)
		count(COUNTER_BLOCKS);
	struct event *e = reserve(action == ACTION_ENFORCE ? EVENT_CONNECT_BLOCKED : EVENT_CONNECT_MATCHED);
	if (e) {
		e->connect.family = family;
		e->connect.port = port;
		e->connect.rule = number;
		if (family == AF_INET) {
			__builtin_memset(e->connect.address, 0, sizeof(e->connect.address));
			__builtin_memcpy(e->connect.address, &key->address[12], 4);
		} else {
			__builtin_memcpy(e->connect.address, key->address, 16);
		}
		submit(e);
	}
	return action == ACTION_ENFORCE ? 0 : 1; /* 0: the connect fails with EPERM */
}

/* The key's prefix covers the cgroup id and port (80 bits) and the whole address. */
#define FULL_PREFIX (64 + 16 + 128)

SEC("cgroup/connect4")
int block_connect4(struct bpf_sock_addr *ctx)
{
	struct destination_key key = {.prefix_bits = FULL_PREFIX};
	key.address[10] = 0xff;
	key.address[11] = 0xff;
	__u32 ip = ctx->user_ip4;
	__builtin_memcpy(&key.address[12], &ip, 4);
	return connect_verdict(ctx, &key, AF_INET);
}

SEC("cgroup/connect6")
int block_connect6(struct bpf_sock_addr *ctx)
{
	struct destination_key key = {.prefix_bits = FULL_PREFIX};
	__u32 word;
	word = ctx->user_ip6[0]; __builtin_memcpy(&key.address[0], &word, 4);
	word = ctx->user_ip6[1]; __builtin_memcpy(&key.address[4], &word, 4);
	word = ctx->user_ip6[2]; __builtin_memcpy(&key.address[8], &word, 4);
	word = ctx->user_ip6[3]; __builtin_memcpy(&key.address[12], &word, 4);
	return connect_verdict(ctx, &key, AF_INET6);
}
