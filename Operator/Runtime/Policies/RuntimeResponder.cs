using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Events;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Runtime.Policies;

/// <summary>The API side of runtime rule responses, off the event thread: <c>event</c> records a Warning Event on the
/// pod through the controller's <see cref="ViolationEventRecorder"/> (one Event per pod, policy, rule, container and
/// outcome; repeats raise its series count, several queued repeats in one write); <c>quarantine</c> (enforce mode only)
/// patches the pod with the controller's <see cref="QuarantineMarks"/>, once, so the controller's deny-all
/// NetworkPolicy and timed lift take over. A pod already quarantined, or whose quarantine was lifted, is left alone,
/// as the controller does.</summary>
public sealed class RuntimeResponder
{
    /// <summary>Hits waiting for the API. 1,024 is minutes of a misbehaving pod's hits at the API's pace; beyond it hits
    /// are counted as dropped (the alert line on stdout is written regardless).</summary>
    public const int QueueCapacity = 1024;

    private readonly KubeClient _client;
    private readonly ViolationEventRecorder _events;
    private readonly Func<string, Pod?> _podByUid;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<RuntimeHit> _queue = Channel.CreateBounded<RuntimeHit>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _quarantined = new(StringComparer.Ordinal);
    private long _dropped;

    public RuntimeResponder(KubeClient client, ViolationEventRecorder events, Func<string, Pod?> podByUid, TimeProvider? time = null, ILogger? logger = null)
    {
        _client = client;
        _events = events;
        _podByUid = podByUid;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a hit whose rule asks for event or quarantine; never blocks the event thread.</summary>
    public void Offer(RuntimeHit hit)
    {
        if (!hit.Binding.Rule.Has(RuntimeResponse.Event) && !hit.Binding.Rule.Has(RuntimeResponse.Quarantine)) return;
        if (!_queue.Writer.TryWrite(hit)) Interlocked.Increment(ref _dropped);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<RuntimeHit>();
        while (await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            batch.Clear();
            while (_queue.Reader.TryRead(out var hit)) batch.Add(hit);
            try
            {
                await RespondAsync(batch, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
            {
                _logger.LogWarning("Runtime rule responses for {Count} hits failed: {Reason}", batch.Count, e.Message);
            }
        }
    }

    /// <summary>Responds to a batch of hits: repeats of one Event are summed into one write.</summary>
    internal async Task RespondAsync(IReadOnlyList<RuntimeHit> hits, CancellationToken cancellationToken)
    {
        foreach (var group in hits.Where(h => h.Binding.Rule.Has(RuntimeResponse.Event))
                     .GroupBy(h => (h.Pod.PodUid, h.Binding.Number, h.Pod.ContainerName, h.Outcome)))
        {
            var hit = group.First();
            await _events.RecordOccurrencesAsync(SubjectOf(hit.Pod), FindingOf(hit), group.Count(), cancellationToken).ConfigureAwait(false);
        }
        foreach (var hit in hits)
            if (hit.Binding.Rule.Has(RuntimeResponse.Quarantine) && hit.Binding.Enforcing)
                await QuarantineAsync(hit, cancellationToken).ConfigureAwait(false);
    }

    private async Task QuarantineAsync(RuntimeHit hit, CancellationToken cancellationToken)
    {
        var pod = hit.Pod;
        if (_quarantined.ContainsKey(pod.PodUid)) return;
        if (_podByUid(pod.PodUid) is { } current && (QuarantineMarks.IsQuarantined(current) || QuarantineMarks.WasLifted(current)))
        {
            _quarantined[pod.PodUid] = 0;
            return;
        }
        var now = _time.GetUtcNow();
        var until = hit.Binding.Rule.Quarantine?.Duration is { } d ? now + d : (DateTimeOffset?)null;
        var patch = QuarantineMarks.SetPatch(hit.Binding.Compiled.Name, hit.Binding.Compiled.DisplayName, hit.Binding.Rule.Name, now, until);
        try
        {
            await _client.PatchAsync(KubeResource.Pods, pod.Namespace, pod.PodName, PatchType.Merge, patch, KubeJsonContext.Default.Pod,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Quarantined pod {Namespace}/{Pod} until {Until}: {Policy} runtime rule {Rule} ({Outcome})", pod.Namespace, pod.PodName,
                until is { } u ? QuarantineMarks.Stamp(u) : "the label is removed", hit.Binding.Compiled.DisplayName, hit.Binding.Rule.Name, hit.Outcome);
        }
        catch (KubeNotFoundException)
        {
            // the pod is gone: nothing left to isolate
        }
        _quarantined[pod.PodUid] = 0;
    }

    /// <summary>Forgets a deleted pod.</summary>
    public void Forget(string podUid) => _quarantined.TryRemove(podUid, out _);

    private static AuditSubject SubjectOf(Attribution.PodContainer pod) => new("v1", "Pod", pod.Namespace, pod.PodName, pod.PodUid);

    private static AuditFindingKey FindingOf(RuntimeHit hit)
    {
        var b = hit.Binding;
        var enforced = b.Enforcing && (b.Rule.Has(RuntimeResponse.Kill) || b.Rule.Has(RuntimeResponse.Block));
        return new AuditFindingKey(b.Policy, b.Compiled.DisplayName, b.Rule.Name, "runtime." + KindName(b.Rule.Kind),
            enforced ? Disposition.Deny : Disposition.Alert, hit.Pod.ContainerName, $"spec.runtime.rules[{b.Rule.Number}]", hit.Outcome);
    }

    internal static string KindName(RuntimeRuleKind kind) => kind switch
    {
        RuntimeRuleKind.Executables => "executables",
        RuntimeRuleKind.Connect => "connect",
        _ => "sensitivePaths",
    };
}
