using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.LeaderElection;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics (tools/leaderelection):
/// a follower takes the lease when its holder is empty or when the lease has not changed for LeaseDuration as measured
/// on the follower's own clock (the server does not enforce expiry, coord-01, and clocks of different nodes disagree);
/// every write is a PUT with the observed resourceVersion, so two candidates cannot both win (409 Conflict, coord-01).
/// While leading, the lease is renewed every RetryPeriod; if no renewal succeeds for RenewDeadline the work is cancelled
/// at once and <see cref="RunAsync"/> returns <see cref="LeaderElectionOutcome.Lost"/>.</summary>
public sealed class LeaderElector
{
    private readonly KubeClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private Lease? _observed;
    private DateTimeOffset _observedTime;
    private volatile bool _isLeader;

    public LeaderElector(KubeClient client, LeaderElectionOptions options, ILogger? logger = null)
    {
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    public bool IsLeader => _isLeader;

    /// <summary>The holder of the lease as last observed (null before the first read).</summary>
    public string? ObservedLeader => Volatile.Read(ref _observed)?.Spec?.HolderIdentity;

    /// <summary>Campaigns until this process leads, then runs <paramref name="lead"/> with a token that is cancelled the
    /// moment leadership ends (stop requested or lease lost). Returns after <paramref name="lead"/> has returned.</summary>
    public async Task<LeaderElectionOutcome> RunAsync(Func<CancellationToken, Task> lead, CancellationToken stopping)
    {
        if (!await AcquireAsync(stopping).ConfigureAwait(false)) return LeaderElectionOutcome.Stopped;
        _isLeader = true;
        _logger.LogInformation("Became leader: lease {Namespace}/{Name} held by {Identity}", _options.LeaseNamespace, _options.LeaseName, _options.Identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        var outcome = await RenewLoopAsync(work, stopping).ConfigureAwait(false);
        _isLeader = false;
        await leading.CancelAsync().ConfigureAwait(false);
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
        }
        if (outcome == LeaderElectionOutcome.Lost)
            _logger.LogError("Lost leadership of lease {Namespace}/{Name}: no renewal within {Deadline}; work stopped", _options.LeaseNamespace,
                _options.LeaseName, _options.RenewDeadline);
        else if (_options.ReleaseOnCancel)
            await ReleaseAsync().ConfigureAwait(false);
        return outcome;
    }

    private async Task<bool> AcquireAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(_options.RenewDeadline, stopping).ConfigureAwait(false)) return true;
            var wait = _options.RetryPeriod * (1 + Random.Shared.NextDouble() * LeaderElectionOptions.JitterFactor);
            try
            {
                await Task.Delay(wait, _options.TimeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private async Task<LeaderElectionOutcome> RenewLoopAsync(Task work, CancellationToken stopping)
    {
        var lastRenew = _options.TimeProvider.GetUtcNow();
        while (true)
        {
            try
            {
                await Task.WhenAny(work, Task.Delay(_options.RetryPeriod, _options.TimeProvider, stopping)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            // The work ending on its own (it failed or finished) ends leadership too: the caller decides what next.
            if (stopping.IsCancellationRequested || work.IsCompleted) return LeaderElectionOutcome.Stopped;
            var left = _options.RenewDeadline - (_options.TimeProvider.GetUtcNow() - lastRenew);
            if (left > TimeSpan.Zero && await TryAcquireOrRenewAsync(left, stopping).ConfigureAwait(false))
            {
                lastRenew = _options.TimeProvider.GetUtcNow();
                continue;
            }
            if (stopping.IsCancellationRequested) return LeaderElectionOutcome.Stopped;
            if (_options.TimeProvider.GetUtcNow() - lastRenew >= _options.RenewDeadline || ObservedLeader != _options.Identity)
                return LeaderElectionOutcome.Lost;
        }
    }

    /// <summary>One attempt (client-go tryAcquireOrRenew). False when someone else validly holds the lease or the write lost
    /// a race or failed; true when this process holds a freshly written lease.</summary>
    private async Task<bool> TryAcquireOrRenewAsync(TimeSpan timeout, CancellationToken stopping)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        attempt.CancelAfter(timeout);
        var now = _options.TimeProvider.GetUtcNow();
        var seconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
        try
        {
            Lease current;
            try
            {
                current = await _client.GetAsync(KubeResource.Leases, _options.LeaseNamespace, _options.LeaseName, KubeJsonContext.Default.Lease,
                    attempt.Token).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                var created = await _client.CreateAsync(KubeResource.Leases, _options.LeaseNamespace, new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace, Labels = ManagedLabels() },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = _options.Identity, LeaseDurationSeconds = seconds, AcquireTime = now, RenewTime = now, LeaseTransitions = 0,
                    },
                }, KubeJsonContext.Default.Lease, cancellationToken: attempt.Token).ConfigureAwait(false);
                Observe(created, now);
                return true;
            }

            var spec = current.Spec ?? new LeaseSpec();
            if (!SameRecord(spec, Volatile.Read(ref _observed)?.Spec)) Observe(current, now);
            var holder = spec.HolderIdentity;
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? seconds);
            var mine = holder == _options.Identity;
            if (!string.IsNullOrEmpty(holder) && !mine && _observedTime + duration > now) return false;

            current.Spec = new LeaseSpec
            {
                HolderIdentity = _options.Identity,
                LeaseDurationSeconds = seconds,
                AcquireTime = mine ? spec.AcquireTime ?? now : now,
                RenewTime = now,
                LeaseTransitions = mine ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
                Extra = spec.Extra,
            };
            var written = await _client.ReplaceAsync(KubeResource.Leases, _options.LeaseNamespace, current, KubeJsonContext.Default.Lease,
                cancellationToken: attempt.Token).ConfigureAwait(false);
            Observe(written, now);
            if (!mine) _logger.LogInformation("Took over lease {Namespace}/{Name} from {Previous}", _options.LeaseNamespace, _options.LeaseName,
                string.IsNullOrEmpty(holder) ? "(released)" : holder);
            return true;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            _logger.LogWarning("Lease {Namespace}/{Name}: no answer within {Timeout}", _options.LeaseNamespace, _options.LeaseName, timeout);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or KubeResponseFormatException)
        {
            // 409 (AlreadyExists / Conflict) means another candidate wrote first: an ordinary lost race.
            if (e is KubeAlreadyExistsException or KubeConflictException)
                _logger.LogDebug("Lease {Namespace}/{Name}: another candidate wrote first ({Reason})", _options.LeaseNamespace, _options.LeaseName, e.Message);
            else
                _logger.LogWarning("Lease {Namespace}/{Name}: attempt failed: {Reason}", _options.LeaseNamespace, _options.LeaseName, e.Message);
            return false;
        }
    }

    /// <summary>Empties the holder (client-go release: LeaseDurationSeconds 1, times now, transitions kept), so the next
    /// candidate takes over at its next attempt. Only if this process still holds the lease it last wrote.</summary>
    private async Task ReleaseAsync()
    {
        var observed = Volatile.Read(ref _observed);
        if (observed?.Spec?.HolderIdentity != _options.Identity) return;
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        var now = _options.TimeProvider.GetUtcNow();
        observed.Spec = new LeaseSpec
        {
            HolderIdentity = "", LeaseDurationSeconds = 1, AcquireTime = now, RenewTime = now,
            LeaseTransitions = observed.Spec.LeaseTransitions, Extra = observed.Spec.Extra,
        };
        try
        {
            var written = await _client.ReplaceAsync(KubeResource.Leases, _options.LeaseNamespace, observed, KubeJsonContext.Default.Lease,
                cancellationToken: timeout.Token).ConfigureAwait(false);
            Observe(written, now);
            _logger.LogInformation("Released lease {Namespace}/{Name}", _options.LeaseNamespace, _options.LeaseName);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException or KubeResponseFormatException)
        {
            // Not fatal: the followers take over when the lease expires.
            _logger.LogWarning("Could not release lease {Namespace}/{Name}: {Reason}", _options.LeaseNamespace, _options.LeaseName, e.Message);
        }
    }

    private void Observe(Lease lease, DateTimeOffset at)
    {
        _observedTime = at;
        Volatile.Write(ref _observed, lease);
    }

    private static bool SameRecord(LeaseSpec a, LeaseSpec? b) =>
        b is not null && a.HolderIdentity == b.HolderIdentity && a.LeaseDurationSeconds == b.LeaseDurationSeconds &&
        a.AcquireTime == b.AcquireTime && a.RenewTime == b.RenewTime && a.LeaseTransitions == b.LeaseTransitions;

    private static Dictionary<string, string> ManagedLabels() => new() { ["app.kubernetes.io/managed-by"] = "security-operator" };
}
