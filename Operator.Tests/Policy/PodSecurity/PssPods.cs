using System.Text;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>Builds test pods: a restricted-compliant base pod, edited through JsonNode.</summary>
internal static class PssPods
{
    public const string RestrictedPod = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},
     "spec":{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
       "initContainers":[{"name":"init","image":"busybox","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}],
       "containers":[{"name":"app","image":"nginx","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}
    """;

    public static JsonObject Base() => JsonNode.Parse(RestrictedPod)!.AsObject();

    public static JsonObject Spec(this JsonObject pod) => pod["spec"]!.AsObject();
    public static JsonObject Container(this JsonObject pod, int i = 0) => pod["spec"]!["containers"]![i]!.AsObject();
    public static JsonObject ContainerSc(this JsonObject pod, int i = 0) => pod.Container(i)["securityContext"]!.AsObject();
    public static JsonObject PodSc(this JsonObject pod) => pod["spec"]!["securityContext"]!.AsObject();

    public static byte[] Bytes(this JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
