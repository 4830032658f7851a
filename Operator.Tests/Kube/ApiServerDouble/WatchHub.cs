using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using SecurityOperator.Tests.Kube.ApiServer.Selectors;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The open watches. <see cref="Publish"/> runs under the store lock (commit order = frame order) and never
/// blocks: each watch has a bounded queue, and a watch whose consumer falls that far behind is ended, as kube-apiserver
/// ends watchers it cannot feed; the client then re-watches from its last resourceVersion.</summary>
internal sealed class WatchHub
{
    private readonly List<WatchSubscription> _subscriptions = [];

    /// <summary>Caller holds the store lock.</summary>
    public void Add(WatchSubscription subscription) => _subscriptions.Add(subscription);

    /// <summary>Caller holds the store lock.</summary>
    public void Remove(WatchSubscription subscription) => _subscriptions.Remove(subscription);

    /// <summary>Caller holds the store lock.</summary>
    public List<WatchSubscription> Snapshot() => [.. _subscriptions];

    public void Publish(StoredEvent e)
    {
        byte[]? leavingFrame = null;
        foreach (var sub in _subscriptions)
        {
            if (sub.Type != e.Object.Type) continue;
            var frame = sub.FrameFor(e, ref leavingFrame);
            if (frame is not null && !sub.Frames.Writer.TryWrite(frame)) sub.End(overflowed: true);
        }
    }
}

/// <summary>One open watch: its filter and the queue of frames (complete lines) waiting to be written.</summary>
internal sealed class WatchSubscription(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, int capacity)
{
    public ResourceType Type { get; } = type;
    public Channel<byte[]> Frames { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true });
    public bool Overflowed { get; private set; }

    public bool Matches(StoredObject o) =>
        (@namespace is null || o.Namespace == @namespace) && labels.Matches(o.Labels) && fields.Matches(o.Node);

    /// <summary>Ends the stream after the frames already queued (an ordinary end of the chunked body).</summary>
    public void End(bool overflowed = false)
    {
        Overflowed |= overflowed;
        Frames.Writer.TryComplete();
    }

    /// <summary>The frame this watch gets for a change, or null. Selector transitions follow watch-05: starting to match
    /// is ADDED, stopping is DELETED carrying the old state with the new resourceVersion.</summary>
    public byte[]? FrameFor(StoredEvent e, ref byte[]? leavingFrame)
    {
        switch (e.Type)
        {
            case WatchEventType.Added:
                return Matches(e.Object) ? Frame("ADDED", e.Object.Json) : null;
            case WatchEventType.Deleted:
                return Matches(e.Object) ? Frame("DELETED", e.Object.Json) : null;
        }
        var now = Matches(e.Object);
        var before = e.Previous is not null && Matches(e.Previous);
        if (now) return Frame(before ? "MODIFIED" : "ADDED", e.Object.Json);
        if (!before) return null;
        leavingFrame ??= Frame("DELETED", WithResourceVersion(e.Previous!, e.ResourceVersion));
        return leavingFrame;
    }

    public static byte[] Frame(string type, byte[] objectJson)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var frame = new byte[head.Length + objectJson.Length + 2];
        head.CopyTo(frame, 0);
        objectJson.CopyTo(frame, head.Length);
        frame[^2] = (byte)'}';
        frame[^1] = (byte)'\n';
        return frame;
    }

    private static byte[] WithResourceVersion(StoredObject o, long rv)
    {
        var node = o.Clone();
        ObjectStore.SetResourceVersion(node, rv);
        return JsonOutput.ToBytes(node);
    }
}
