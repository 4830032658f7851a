using System.Text;

namespace SecurityOperator.Kube.Config;

/// <summary>The single YAML-to-JSON step of kubeconfig loading. Kept in one method so the YAML converter
/// (SecurityOperator.Yaml.YamlToJson) plugs in with a one-line change.</summary>
internal static class KubeconfigText
{
    /// <summary>Converts the text of one kubeconfig file to UTF-8 JSON. Returns null for an empty file (kubectl treats an
    /// empty kubeconfig as an empty config). Until the YAML converter is merged, only the JSON form is accepted
    /// (JSON is valid YAML, and kubectl writes either).</summary>
    public static byte[]? ToJson(string text, string sourceName)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (text.TrimStart()[0] != '{')
            throw new KubeconfigException(sourceName, null,
                "YAML kubeconfig files are not readable yet (the YAML converter is not merged); write the file as JSON (kubectl config view --raw -o json)");
        return Encoding.UTF8.GetBytes(text);
    }
}
