using SecurityOperator.Kube.Access;

namespace SecurityOperator.Tests.Support;

public sealed class ApiAccessOfRequestTests
{
    [Theory]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", "limit=500", "", "pods", "list")]
    [InlineData("GET", "/api/v1/pods", "watch=true&resourceVersion=5", "", "pods", "watch")]
    [InlineData("GET", "/api/v1/namespaces/ns", "", "", "namespaces", "get")]
    [InlineData("GET", "/api/v1/namespaces", "", "", "namespaces", "list")]
    [InlineData("POST", "/api/v1/namespaces/ns/pods/p/eviction", "", "", "pods/eviction", "create")]
    [InlineData("PATCH", "/apis/security.io/v1/namespaces/ns/securitypolicies/p/status", "", "security.io", "securitypolicies/status", "patch")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/l", "", "coordination.k8s.io", "leases", "update")]
    [InlineData("DELETE", "/apis/networking.k8s.io/v1/namespaces/ns/networkpolicies", "", "networking.k8s.io", "networkpolicies", "deletecollection")]
    [InlineData("DELETE", "/apis/security.io/v1/clustersecuritypolicies/c", "", "security.io", "clustersecuritypolicies", "delete")]
    public void MapsRequestsAsTheApiServerAuthorizesThem(string method, string path, string query, string group, string resource, string verb) =>
        Assert.Equal(new ApiAccess(group, resource, verb), ApiAccessOfRequest.Map(method, path, query));

    [Theory]
    [InlineData("/version")]
    [InlineData("/apis")]
    [InlineData("/apis/security.io/v1")]
    public void NonResourcePathsHaveNoResourcePermission(string path) => Assert.Null(ApiAccessOfRequest.Map("GET", path, ""));
}
