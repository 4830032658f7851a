using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Keeps the admission webhook's serving certificate, its CA and the caBundle of the webhook configurations in
/// step, level-based: each reconcile reads the Secret and the configurations, lets <see cref="RotationPolicy"/> pick at
/// most one step, writes the Secret if its content changed (PUT with resourceVersion: a concurrent writer gets a 409
/// and the next reconcile starts over) and JSON-patches every webhook whose caBundle differs. When everything is
/// current, a reconcile only reads. Run it on the leader only: two writers would each make their own CA.</summary>
public sealed class WebhookCertificateManager
{
    public static readonly KubeResource ValidatingWebhookConfigurations =
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false);
    public static readonly KubeResource MutatingWebhookConfigurations =
        new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false);

    /// <summary>The label every object the operator creates at run time carries.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    private readonly KubeClient _client;
    private readonly WebhookCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IReadOnlyList<string> _dnsNames;

    public WebhookCertificateManager(KubeClient client, WebhookCertificateOptions? options = null, TimeProvider? time = null, ILogger? log = null)
    {
        _client = client;
        _options = options ?? new WebhookCertificateOptions();
        _options.Durations.Validate();
        _time = time ?? TimeProvider.System;
        _log = log ?? NullLogger.Instance;
        _dnsNames = _options.DnsNames;
    }

    /// <summary>One pass: read, decide, write what differs.</summary>
    /// <exception cref="KubeApiException">An API call failed (the caller retries later).</exception>
    /// <exception cref="WebhookCertificateException">The Secret cannot be managed as it is (named in the message).</exception>
    public async Task<CertificateReconcileResult> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        // X.509 times have whole seconds; deciding on whole seconds keeps "issued at" and "now" comparable exactly.
        var now = TruncateToSeconds(_time.GetUtcNow());
        var secret = await ReadSecretAsync(cancellationToken).ConfigureAwait(false);
        var configurations = await ReadConfigurationsAsync(cancellationToken).ConfigureAwait(false);

        var material = CertificateMaterial.FromSecretData(secret?.Data, $"{_options.Namespace}/{_options.SecretName}");
        var stored = BundleRecord.Read(secret?.Metadata.Annotations);
        var currentBundle = material.Bundle;
        var inPlace = stored is not null && stored.Sha256 == BundleRecord.Hash(currentBundle)
                      && configurations.All(c => c.Value is null || CaBundlePatch.Carries(c.Value, currentBundle));
        var facts = CertificateInspector.Inspect(material, _dnsNames, inPlace ? stored!.Since : null);
        var decision = RotationPolicy.Decide(facts, now, _options.Durations);

        var next = CertificateRotation.Apply(decision.Action, material, _dnsNames, _options.AuthorityName, now, _options.Durations);
        var bundle = next.Bundle;
        var patches = configurations
            .Where(c => c.Value is not null)
            .Select(c => (c.Resource, c.Name, Patch: CaBundlePatch.For(c.Value!, bundle)))
            .Where(p => p.Patch is not null)
            .ToList();
        // Any configuration about to be patched did not carry the bundle: the propagation wait starts now.
        var record = patches.Count == 0 && stored is not null && stored.Sha256 == BundleRecord.Hash(bundle)
            ? stored
            : new BundleRecord(BundleRecord.Hash(bundle), now);

        if (decision.Action != RotationAction.None)
            _log.LogInformation("webhook certificates: {Action}: {Reason}", decision.Action, decision.Reason);
        var secretWritten = await WriteSecretAsync(secret, next, record, cancellationToken).ConfigureAwait(false);
        var patched = new List<string>();
        foreach (var (resource, name, patch) in patches)
        {
            await _client.PatchAsync(resource, null, name, PatchType.Json, patch!, CertificatesJsonContext.Default.WebhookConfiguration,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            patched.Add($"{resource.Kind}/{name}");
            _log.LogInformation("caBundle of {Kind} {Name} set to the bundle {Sha256}", resource.Kind, name, record.Sha256[..12]);
        }
        return new CertificateReconcileResult(decision, secretWritten, patched);
    }

    /// <summary>Reconciles until <paramref name="stopping"/> is cancelled: again when the next step is due, at least
    /// every <see cref="WebhookCertificateOptions.ResyncInterval"/>, and after <see cref="WebhookCertificateOptions.RetryInterval"/>
    /// when a pass failed. Returns normally when stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var result = await ReconcileAsync(stopping).ConfigureAwait(false);
                wait = _options.ResyncInterval;
                if (result.Decision.NextCheckAt is { } due)
                {
                    var untilDue = due - _time.GetUtcNow();
                    if (untilDue < wait) wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue;
                }
                // Something was written: look again at once, so the written state is confirmed and the next due time is
                // computed from it (e.g. a propagation wait that just restarted).
                if (result.WroteAnything) wait = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or KubeResponseFormatException
                                          or WebhookCertificateException or CertificateMaterialException or CryptographicException
                                          or OperationCanceledException)
            {
                _log.LogWarning("webhook certificates: reconcile failed, retrying in {Retry}: {Error}", _options.RetryInterval, e.Message);
                wait = _options.RetryInterval;
            }
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Secret?> ReadSecretAsync(CancellationToken cancellationToken)
    {
        Secret secret;
        try
        {
            secret = await _client.GetAsync(KubeResource.Secrets, _options.Namespace, _options.SecretName, KubeJsonContext.Default.Secret, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
        if (secret.Type != Secret.TlsType)
            throw new WebhookCertificateException($"Secret {_options.Namespace}/{_options.SecretName} has type '{secret.Type}', not " +
                                                  $"'{Secret.TlsType}' (the type cannot be changed): delete it and it is created anew");
        return secret;
    }

    private async Task<List<(KubeResource Resource, string Name, WebhookConfiguration? Value)>> ReadConfigurationsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(KubeResource, string, WebhookConfiguration?)>();
        foreach (var (resource, names) in new[]
                 {
                     (ValidatingWebhookConfigurations, _options.ValidatingWebhookConfigurations),
                     (MutatingWebhookConfigurations, _options.MutatingWebhookConfigurations),
                 })
        {
            foreach (var name in names)
            {
                try
                {
                    result.Add((resource, name, await _client.GetAsync(resource, null, name, CertificatesJsonContext.Default.WebhookConfiguration,
                        cancellationToken).ConfigureAwait(false)));
                }
                catch (KubeNotFoundException)
                {
                    // Not installed (yet): no request goes to it, so it needs no bundle; it is patched once it appears.
                    _log.LogDebug("{Kind} {Name} does not exist; its caBundle is set once it is created", resource.Kind, name);
                    result.Add((resource, name, null));
                }
            }
        }
        return result;
    }

    /// <returns>true when the Secret was created or replaced.</returns>
    private async Task<bool> WriteSecretAsync(Secret? existing, CertificateMaterial material, BundleRecord record, CancellationToken cancellationToken)
    {
        // Keys the manager does not own (added by someone else) are kept as they are.
        var data = material.ToSecretData();
        if (existing?.Data is { } stored)
            foreach (var (key, value) in stored)
                if (!CertificateMaterial.Keys.Contains(key)) data[key] = value;
        if (existing is not null && SameData(existing.Data, data) && BundleRecord.Read(existing.Metadata.Annotations) == record
            && existing.Metadata.Labels?.GetValueOrDefault(ManagedByLabel) == "security-operator")
            return false;

        var secret = existing ?? new Secret
        {
            Metadata = new() { Name = _options.SecretName, Namespace = _options.Namespace },
            Type = Secret.TlsType,
        };
        secret.Data = data;
        secret.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        secret.Metadata.Labels[ManagedByLabel] = "security-operator";
        secret.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        record.WriteTo(secret.Metadata.Annotations);
        if (existing is null)
            await _client.CreateAsync(KubeResource.Secrets, _options.Namespace, secret, KubeJsonContext.Default.Secret, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        else
            await _client.ReplaceAsync(KubeResource.Secrets, _options.Namespace, secret, KubeJsonContext.Default.Secret, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        return true;
    }

    private static bool SameData(Dictionary<string, byte[]>? stored, Dictionary<string, byte[]> wanted) =>
        stored is not null && stored.Count == wanted.Count
                           && wanted.All(kv => stored.TryGetValue(kv.Key, out var value) && value.AsSpan().SequenceEqual(kv.Value));

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
