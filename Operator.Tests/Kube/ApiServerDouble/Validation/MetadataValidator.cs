using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecurityOperator.Tests.Kube.ApiServer.Validation;

/// <summary>ObjectMeta validation with apimachinery's messages (errors-422 REQUEST 1, events-01 REQUEST 2).</summary>
public static partial class MetadataValidator
{
    public const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    public static bool IsSubdomain(string s) => s.Length <= 253 && Subdomain().IsMatch(s);

    public static void Validate(JsonObject metadata, bool dnsLabelNames, List<FieldCause> causes)
    {
        var name = metadata["name"]?.GetValue<string>() ?? "";
        var generateName = metadata["generateName"]?.GetValue<string>();
        if (generateName is not null)
        {
            // apimachinery validates the prefix with a trailing '-' masked; a trailing '.' stays invalid (events-01 REQUEST 2).
            var masked = generateName.EndsWith('-') ? generateName[..^1] + "a" : generateName;
            if (!NameIsValid(masked, dnsLabelNames))
                causes.Add(FieldCause.InvalidValue("metadata.generateName", Quote(generateName), dnsLabelNames ? LabelMessage : SubdomainMessage));
        }
        if (name.Length == 0)
            causes.Add(FieldCause.Required("metadata.name", "name or generateName is required"));
        else if (!NameIsValid(name, dnsLabelNames))
            causes.Add(FieldCause.InvalidValue("metadata.name", Quote(name), dnsLabelNames ? LabelMessage : SubdomainMessage));

        if (metadata["labels"] is JsonObject labels)
            foreach (var (_, value) in labels)
            {
                var text = value?.ToString() ?? "";
                if (text.Length > 63 || !LabelValue().IsMatch(text))
                    causes.Add(FieldCause.InvalidValue("metadata.labels", Quote(text), LabelValueMessage));
            }
    }

    private static bool NameIsValid(string name, bool dnsLabel) =>
        dnsLabel ? name.Length <= 63 && DnsLabel().IsMatch(name) : IsSubdomain(name);

    public static string Quote(string s) => JsonOutput.ToText(JsonValue.Create(s)!);
}
