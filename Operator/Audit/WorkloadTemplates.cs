using System.Text.Json;

namespace SecurityOperator.Audit;

public enum TemplateStatus
{
    /// <summary>Found: <see cref="TemplateLocation.Offset"/>/<see cref="TemplateLocation.Length"/> delimit the pod
    /// template object (a Pod: the whole object).</summary>
    Found,

    /// <summary>Not a kind that runs pods (ConfigMap, Service...): skipped by the audit and counted as such.</summary>
    NotAWorkload,

    /// <summary>A workload kind whose template is absent or not an object (e.g. a Deployment without spec.template).</summary>
    MissingTemplate,

    /// <summary>The JSON itself is malformed.</summary>
    InvalidJson,
}

/// <summary>Where a workload's pod template sits inside the object's JSON bytes.</summary>
public readonly record struct TemplateLocation(TemplateStatus Status, int Offset, int Length)
{
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> json) => json.Slice(Offset, Length);
}

/// <summary>Finds the pod template (the object with metadata and spec that the engine evaluates) of a workload without
/// building a DOM: Pod → itself; Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController →
/// spec.template; CronJob → spec.jobTemplate.spec.template. Kinds are matched exactly (any apiVersion: apps/v1,
/// extensions/v1beta1 and batch/v1beta1 objects share these shapes).</summary>
public static class WorkloadTemplates
{
    private static readonly byte[] Spec = "spec"u8.ToArray();
    private static readonly byte[] Template = "template"u8.ToArray();
    private static readonly byte[] JobTemplate = "jobTemplate"u8.ToArray();

    private static readonly byte[][] SpecTemplate = [Spec, Template];
    private static readonly byte[][] CronJobTemplate = [Spec, JobTemplate, Spec, Template];

    /// <summary>True for the kinds whose pods the audit evaluates.</summary>
    public static bool IsWorkloadKind(string kind) => PathFor(kind) is not null || kind == "Pod";

    public static TemplateLocation Locate(string kind, ReadOnlySpan<byte> json)
    {
        if (kind == "Pod")
        {
            return WholeObject(json);
        }

        byte[][]? path = PathFor(kind);
        return path is null ? new TemplateLocation(TemplateStatus.NotAWorkload, 0, 0) : FindObject(json, path);
    }

    private static byte[][]? PathFor(string kind) => kind switch
    {
        "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" or "Job" or "ReplicationController" => SpecTemplate,
        "CronJob" => CronJobTemplate,
        _ => null,
    };

    private static TemplateLocation WholeObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new TemplateLocation(TemplateStatus.InvalidJson, 0, 0);
            }

            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            return new TemplateLocation(TemplateStatus.Found, start, (int)reader.BytesConsumed - start);
        }
        catch (JsonException)
        {
            return new TemplateLocation(TemplateStatus.InvalidJson, 0, 0);
        }
    }

    /// <summary>Follows <paramref name="path"/> through nested objects, skipping every other property's value.</summary>
    private static TemplateLocation FindObject(ReadOnlySpan<byte> json, byte[][] path)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new TemplateLocation(TemplateStatus.InvalidJson, 0, 0);
            }

            int segment = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break; // the object holding the current segment ended without it
                }

                bool match = reader.ValueTextEquals(path[segment]);
                reader.Read();
                if (!match)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    break;
                }

                if (++segment == path.Length)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return new TemplateLocation(TemplateStatus.Found, start, (int)reader.BytesConsumed - start);
                }
            }

            return new TemplateLocation(TemplateStatus.MissingTemplate, 0, 0);
        }
        catch (JsonException)
        {
            return new TemplateLocation(TemplateStatus.InvalidJson, 0, 0);
        }
    }
}
