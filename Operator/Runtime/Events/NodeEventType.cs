namespace SecurityOperator.Runtime.Events;

/// <summary>enum event_type of bpf/event.h.</summary>
public enum NodeEventType : uint
{
    Exec = 1,
    Exit = 2,
    Open = 3,
    Connect = 4,
    Privilege = 5,
    ExecKilled = 6,
    ConnectBlocked = 7,
    ConnectMatched = 8,
}

/// <summary>enum privilege_call of bpf/event.h.</summary>
public enum PrivilegeCall : uint
{
    Setuid = 1,
    Setgid = 2,
    Setreuid = 3,
    Setregid = 4,
    Setresuid = 5,
    Setresgid = 6,
    Capset = 7,
}

/// <summary>enum counter_index of bpf/event.h: slots of the per-CPU counter map.</summary>
public enum KernelCounter : uint
{
    Events = 0,
    Drops = 1,
    Filtered = 2,
    Kills = 3,
    Blocks = 4,
}
