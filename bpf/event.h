/* The single definition of what the node agent's eBPF programs tell user space and how user space configures them.
 * Operator/Runtime/Events/ mirrors these structs field by field; NodeEventLayoutTests compares the two through the
 * BTF that clang keeps in the compiled object, so a change here that is not made there fails the tests (and the agent
 * refuses an object whose layout it does not know).
 * Plain fixed-size records: a 4 KiB-aligned ring buffer of them is cheaper to consume than variable-length ones. */
#ifndef SECURITY_OPERATOR_EVENT_H
#define SECURITY_OPERATOR_EVENT_H

#define COMM_LEN 16
#define PATH_LEN 256
#define MAX_CONTAINER_ROOTS 4

enum event_type {
	EVENT_EXEC = 1,            /* tp_btf/sched_process_exec: the exec that succeeded, with the resolved filename */
	EVENT_EXIT = 2,            /* tracepoint/sched/sched_process_exit: thread-group leader exit */
	EVENT_OPEN = 3,            /* openat / openat2 entry: path as passed, flags, mode */
	EVENT_CONNECT = 4,         /* connect entry: IPv4 / IPv6 destination */
	EVENT_PRIVILEGE = 5,       /* setuid / setgid / setreuid / setregid / setresuid / setresgid / capset entry */
	EVENT_EXEC_KILLED = 6,     /* exec of a denied executable: SIGKILL sent before its first instruction */
	EVENT_CONNECT_BLOCKED = 7, /* cgroup/connect4|6 returned EPERM for a denied destination */
	EVENT_CONNECT_MATCHED = 8, /* cgroup/connect4|6 let through a connect that matched an alert-only rule */
};

/* What a matching deny entry does. 0 is the in-kernel response so that entries written before actions existed
 * (the --node-deny-* flags) keep their meaning. */
enum rule_action {
	ACTION_ENFORCE = 0,  /* exec: SIGKILL; connect: EPERM */
	ACTION_ALERT = 1,    /* let it happen and report it (exec: EVENT_EXEC with the rule; connect: EVENT_CONNECT_MATCHED) */
	ACTION_ALLOW = 2,    /* connect only: an allowed destination, exempt from the cgroup's default (connect_modes) */
};

enum privilege_call {
	PRIV_SETUID = 1, PRIV_SETGID = 2, PRIV_SETREUID = 3, PRIV_SETREGID = 4,
	PRIV_SETRESUID = 5, PRIV_SETRESGID = 6, PRIV_CAPSET = 7,
};

/* Indexes of the per-CPU counter array. */
enum counter_index {
	COUNTER_EVENTS = 0,       /* records submitted to the ring buffer */
	COUNTER_DROPS = 1,        /* records lost because the ring buffer was full */
	COUNTER_FILTERED = 2,     /* hook hits skipped in the kernel: not a container cgroup */
	COUNTER_KILLS = 3,        /* SIGKILLs sent on exec */
	COUNTER_BLOCKS = 4,       /* connects refused with EPERM */
	COUNTER_COUNT = 5,
};

struct exec_payload {
	__u64 inode;
	__u32 device;        /* s_dev of the executable's filesystem (kernel encoding: major << 20 | minor) */
	__u32 rule;          /* for EVENT_EXEC_KILLED: the deny rule's number */
	char filename[PATH_LEN];
};

struct open_payload {
	__s32 dirfd;
	__u32 flags;
	__u32 mode;
	__u32 reserved;
	char path[PATH_LEN];
};

struct connect_payload {
	__u16 family;        /* AF_INET (2) or AF_INET6 (10) */
	__u16 port;          /* host byte order */
	__u32 rule;          /* for EVENT_CONNECT_BLOCKED: the deny rule's number */
	__u8 address[16];    /* IPv4 in the first 4 bytes, network order */
};

struct privilege_payload {
	__u32 call;          /* enum privilege_call */
	__u32 reserved;
	__s64 args[3];       /* the ids as passed (-1 = unchanged); capset: effective, permitted, inheritable (low 32 bits) */
};

struct exit_payload {
	__s32 exit_code;     /* wait status: exit code << 8 | signal */
	__u32 reserved;
};

struct event {
	__u64 time_ns;       /* bpf_ktime_get_boot_ns: monotonic since boot, suspend included */
	__u64 cgroup_id;     /* cgroup v2 id = inode of the cgroup directory */
	__u32 pid;           /* thread-group id (what user space calls the pid) */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 type;          /* enum event_type */
	char comm[COMM_LEN];
	union {
		struct exec_payload exec;
		struct open_payload open;
		struct connect_payload connect;
		struct privilege_payload privilege;
		struct exit_payload exit;
	};
};

struct container_root {
	__u64 cgroup_id;     /* id of e.g. /kubepods.slice; 0 = unused slot */
	__u32 level;         /* its depth below the root cgroup (root = 0) */
	__u32 reserved;
};

/* Read-only configuration, written by the loader into .rodata before load (the verifier then prunes what it turns off). */
struct agent_config {
	__u32 filter_containers;     /* 1: only processes below one of roots[] produce events */
	__u32 wakeup_bytes;          /* wake user space when this much is pending; below it records wait for its poll */
	__u32 self_pid;              /* the agent's own pid: never traced (its own opens and connects) */
	__u32 reserved;
	struct container_root roots[MAX_CONTAINER_ROOTS];
};

/* Key of the denied-executable map: the cgroup it applies to (0: every traced cgroup, the --node-deny-exec rules)
 * and the executable's file identity (survives renames and hard links). */
struct exec_key {
	__u64 cgroup_id;
	__u64 inode;
	__u32 device;
	__u32 reserved;
};

struct exec_rule {
	__u32 rule;          /* number of the rule, echoed in the exec event */
	__u32 action;        /* enum rule_action: ENFORCE (SIGKILL) or ALERT */
};

/* Key of the destination LPM trie: the cgroup (0: every cgroup the programs are attached to, the --node-deny-connect
 * rules) and the port (0: every port), both always matched whole, then the address prefix. IPv4 is mapped to
 * ::ffff:a.b.c.d so one trie serves both families: an IPv4 /24 is stored as prefix 64 + 16 + 96 + 24 bits. */
struct destination_key {
	__u32 prefix_bits;
	__u32 cgroup_id[2];  /* the u64 cgroup id as it lies in memory (LPM keys are byte strings; only equality matters) */
	__u16 port;          /* host byte order */
	__u8 address[16];
	__u16 reserved;
};

struct destination_rule {
	__u32 rule;          /* number of the rule, echoed in EVENT_CONNECT_BLOCKED / EVENT_CONNECT_MATCHED */
	__u32 action;        /* enum rule_action */
};

/* A cgroup with an allow-list: destinations with no entry in the trie get this (the allow rule's number and
 * ENFORCE or ALERT). */
struct connect_mode {
	__u32 rule;
	__u32 action;
};

#endif
