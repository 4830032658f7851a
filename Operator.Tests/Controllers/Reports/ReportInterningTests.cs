using System.Text;
using System.Text.Json;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Reports;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Controllers.Reports;

public class ReportInterningTests
{
    private static string Json(string ns) => $$$"""
        {"apiVersion":"wgpolicyk8s.io/v1alpha2","kind":"PolicyReport","metadata":{"name":"security-operator","namespace":"{{{ns}}}","labels":{"app.kubernetes.io/managed-by":"security-operator"}},
         "results":[{"source":"security-operator","policy":"baseline","rule":"no-privileged","category":"Pod Security Standards","result":"fail","severity":"high",
           "message":"container app is privileged","scored":true,
           "resources":[{"apiVersion":"apps/v1","kind":"Deployment","namespace":"{{{ns}}}","name":"web","uid":"u-{{{ns}}}"}],
           "timestamp":{"seconds":1790000000,"nanos":0},
           "properties":{"condition":"privileged","container":"app","disposition":"enforce","field":"spec.containers[0].securityContext.privileged","policyKind":"ClusterSecurityPolicy","violatingPods":"10"}}],
         "summary":{"pass":7,"fail":1,"warn":0,"error":0,"skip":0}}
        """;

    private static PolicyReport Decode(string ns) => JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(Json(ns)), KubeJsonContext.Default.PolicyReport)!;

    [Fact]
    public void Reports_of_different_namespaces_share_the_strings_and_property_maps_of_equal_results_and_say_the_same()
    {
        var strings = new CacheInterning();
        var message = strings.String(new string("container app is privileged")); // as an audit finding put it there
        var a = ReportInterning.Intern(Decode("team-a"), strings);
        var b = ReportInterning.Intern(Decode("team-b"), strings);

        var (ra, rb) = (a.Results![0], b.Results![0]);
        Assert.Same(message, ra.Message);
        Assert.Same(ra.Message, rb.Message);
        Assert.Same(ra.Policy, rb.Policy);
        Assert.Same(ra.Category, rb.Category);
        Assert.Same(ra.Properties, rb.Properties);
        Assert.Same(ra.Resources![0].Kind, rb.Resources![0].Kind);
        Assert.Equal("u-team-b", rb.Resources[0].Uid);
        // Nothing changes value: each report serializes as it was decoded.
        foreach (var (report, ns) in new[] { (a, "team-a"), (b, "team-b") })
            Assert.Equal(JsonSerializer.Serialize(Decode(ns), KubeJsonContext.Default.PolicyReport), JsonSerializer.Serialize(report, KubeJsonContext.Default.PolicyReport));
    }
}
