using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>Receives the records of a BPF ring buffer, on the reader's thread, as spans over the kernel-shared pages
/// (valid only during the call: copy what must outlive it).</summary>
public interface IRingBufferConsumer
{
    void OnRecord(ReadOnlySpan<byte> record);
}

/// <summary>Drains a BPF ring buffer map on a dedicated thread. The programs wake the reader only once a batch is
/// pending (batched wakeup), so the loop polls with a short timeout and then consumes whatever is there: records
/// wait at most <see cref="PollTimeout"/> for a quiet producer.</summary>
public sealed unsafe class RingBufferReader : IDisposable
{
    /// <summary>How long a record of a quiet producer may wait: 50 ms keeps alerts prompt and costs ~20 wakeups/s.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly IRingBufferConsumer _consumer;
    private readonly GCHandle _self;
    private nint _ringBuffer;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _records;

    public RingBufferReader(BpfMap map, IRingBufferConsumer consumer)
    {
        _consumer = consumer;
        _self = GCHandle.Alloc(this);
        _ringBuffer = LibBpf.RingBufferNew(map.Fd, &OnSample, (void*)GCHandle.ToIntPtr(_self), null);
        if (_ringBuffer == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new BpfException($"opening ring buffer '{map.Name}'", errno);
        }
    }

    /// <summary>Records handed to the consumer so far.</summary>
    public long Records => Interlocked.Read(ref _records);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "bpf-ringbuf" };
        _thread.Start();
    }

    /// <summary>Consumes what is pending now, on the caller's thread (tests, and the final drain at stop).</summary>
    public int Drain() => LibBpf.RingBufferConsume(_ringBuffer);

    private void Run()
    {
        var timeout = (int)PollTimeout.TotalMilliseconds;
        while (!_stopping)
        {
            // poll() consumes the rings whose wakeup fired; consume() picks up records submitted without a wakeup.
            LibBpf.RingBufferPoll(_ringBuffer, timeout);
            LibBpf.RingBufferConsume(_ringBuffer);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSample(void* context, void* data, nuint size)
    {
        var reader = (RingBufferReader)GCHandle.FromIntPtr((nint)context).Target!;
        reader._records++;
        try
        {
            reader._consumer.OnRecord(new ReadOnlySpan<byte>(data, (int)size));
        }
        catch (Exception e)
        {
            // An exception must not cross into libbpf's C frames; the consumer's bug is reported and the record skipped.
            reader.ConsumerFailures++;
            reader.LastConsumerFailure = e;
        }
        return 0;
    }

    public long ConsumerFailures { get; private set; }

    public Exception? LastConsumerFailure { get; private set; }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        var ringBuffer = Interlocked.Exchange(ref _ringBuffer, 0);
        if (ringBuffer == 0) return;
        LibBpf.RingBufferFree(ringBuffer);
        _self.Free();
    }
}
