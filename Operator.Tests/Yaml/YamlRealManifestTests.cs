using System.Text.Json.Nodes;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Yaml;

/// <summary>Whole manifests as people write them, compared with the JSON kubectl would send.</summary>
public class YamlRealManifestTests
{
    private static void AssertSameJson(string expectedJson, byte[] actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), JsonNode.Parse(actual)),
            "got " + System.Text.Encoding.UTF8.GetString(actual));

    [Fact]
    public void Deployment_with_compact_lists_block_scalars_and_quoted_numbers()
    {
        const string yaml = """
            # A typical chart-rendered Deployment.
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: prod
              labels: {app: web, tier: "frontend"}
              annotations:
                checksum/config: 3f2a9c
                description: >-
                  Serves the
                  public site.
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 10001
                  containers:
                  - name: web
                    image: registry.company.com/web:1.4.2@sha256:0123abcd
                    args: ["--port", "8080", --verbose]
                    ports:
                    - containerPort: 8080
                      protocol: TCP
                    env:
                    - name: ENABLED
                      value: "true"
                    - name: SCRIPT
                      value: |
                        #!/bin/sh
                        echo "hi"
                    resources:
                      limits: {cpu: 500m, memory: 256Mi}
                      requests:
                        cpu: 0.1
                        memory: 128Mi
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities:
                        drop: [ALL]
            """;
        YamlDocumentJson document = Assert.Single(YamlToJson.ConvertAll(yaml, "deploy.yaml"));
        Assert.Equal(2, document.StartLine);
        AssertSameJson("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"prod","labels":{"app":"web","tier":"frontend"},
               "annotations":{"checksum/config":"3f2a9c","description":"Serves the public site."}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":10001},
                   "containers":[{"name":"web","image":"registry.company.com/web:1.4.2@sha256:0123abcd",
                     "args":["--port","8080","--verbose"],
                     "ports":[{"containerPort":8080,"protocol":"TCP"}],
                     "env":[{"name":"ENABLED","value":"true"},{"name":"SCRIPT","value":"#!/bin/sh\necho \"hi\"\n"}],
                     "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":0.1,"memory":"128Mi"}},
                     "securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}}}
            """, document.Json);
    }

    [Fact]
    public void CronJob_and_service_in_one_stream_with_anchors()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: report
            spec:
              schedule: "*/5 * * * *"
              concurrencyPolicy: Forbid
              jobTemplate:
                spec:
                  backoffLimit: 0x3
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: report
                        image: busybox
                        command:
                          - /bin/sh
                          - -c
                          - date; echo done
                        resources: &res
                          limits:
                            memory: 64Mi
                      - name: sidecar
                        image: busybox
                        resources: *res
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: report}
            spec:
              ports:
              - port: 80
                targetPort: 8080
            """;
        IReadOnlyList<YamlDocumentJson> documents = YamlToJson.ConvertAll(yaml, "cron.yaml");
        Assert.Equal(2, documents.Count);
        Assert.Equal(28, documents[1].StartLine);
        AssertSameJson("""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report"},
             "spec":{"schedule":"*/5 * * * *","concurrencyPolicy":"Forbid",
               "jobTemplate":{"spec":{"backoffLimit":3,"template":{"spec":{"restartPolicy":"OnFailure",
                 "containers":[
                   {"name":"report","image":"busybox","command":["/bin/sh","-c","date; echo done"],"resources":{"limits":{"memory":"64Mi"}}},
                   {"name":"sidecar","image":"busybox","resources":{"limits":{"memory":"64Mi"}}}]}}}}}}
            """, documents[0].Json);
        AssertSameJson("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"report"},"spec":{"ports":[{"port":80,"targetPort":8080}]}}""",
            documents[1].Json);
    }

    [Fact]
    public void Kubeconfig_with_base64_data_and_exec_plugin()
    {
        const string yaml = """
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: dev
            clusters:
            - cluster:
                certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFRREFqQWpNU0V3SHdZRFZRUUREQmhyTTNNdGMyVnkKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: false
              name: dev
            contexts:
            - context:
                cluster: dev
                user: admin
                namespace: default
              name: dev
            users:
            - name: admin
              user:
                client-key-data: 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCg=='
                token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"
            - name: eks
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: [eks, get-token, --cluster-name, prod]
                  env: null
                  interactiveMode: IfAvailable
            """;
        YamlDocumentJson document = Assert.Single(YamlToJson.ConvertAll(yaml, "kubeconfig"));
        AssertSameJson("""
            {"apiVersion":"v1","kind":"Config","preferences":{},"current-context":"dev",
             "clusters":[{"cluster":{"certificate-authority-data":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJkekNDQVIyZ0F3SUJBZ0lCQURBS0JnZ3Foa2pPUFFRREFqQWpNU0V3SHdZRFZRUUREQmhyTTNNdGMyVnkKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
               "server":"https://127.0.0.1:6443","insecure-skip-tls-verify":false},"name":"dev"}],
             "contexts":[{"context":{"cluster":"dev","user":"admin","namespace":"default"},"name":"dev"}],
             "users":[{"name":"admin","user":{"client-key-data":"LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCg==","token":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}},
               {"name":"eks","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1beta1","command":"aws",
                 "args":["eks","get-token","--cluster-name","prod"],"env":null,"interactiveMode":"IfAvailable"}}}]}
            """, document.Json);
    }
}
