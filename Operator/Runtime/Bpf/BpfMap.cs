using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>A map of a loaded object, reached through its fd (the syscall-level bpf_map_*_elem calls).</summary>
public sealed unsafe class BpfMap
{
    internal BpfMap(nint handle, string name)
    {
        Handle = handle;
        Name = name;
    }

    internal nint Handle { get; }

    public string Name { get; }

    public int Fd => LibBpf.MapFd(Handle);

    public void Update<TKey, TValue>(in TKey key, in TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            if (LibBpf.MapUpdateElem(Fd, k, v, 0) < 0)
                throw new BpfException($"updating map '{Name}'", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Removes a key; false when it was not there.</summary>
    public bool Delete<TKey>(in TKey key) where TKey : unmanaged
    {
        fixed (TKey* k = &key)
        {
            if (LibBpf.MapDeleteElem(Fd, k) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            return errno == 2 ? false : throw new BpfException($"deleting from map '{Name}'", errno);
        }
    }

    /// <summary>The sum over every possible CPU of a per-CPU u64 value (PERCPU_ARRAY counters).</summary>
    public ulong SumPerCpu(uint key, Span<ulong> scratch)
    {
        fixed (ulong* values = scratch)
        {
            if (LibBpf.MapLookupElem(Fd, &key, values) < 0)
                throw new BpfException($"reading per-CPU map '{Name}' at {key}", Marshal.GetLastPInvokeError());
        }
        ulong sum = 0;
        foreach (var value in scratch) sum += value;
        return sum;
    }

    /// <summary>The possible CPUs, which is how many values a per-CPU lookup returns.</summary>
    public static int PossibleCpus => LibBpf.NumPossibleCpus();
}
