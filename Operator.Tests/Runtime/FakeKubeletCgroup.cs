using SecurityOperator.Runtime.Sensor;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Runtime;

/// <summary>A kubelet-shaped cgroup tree made for one test under the cgroup v2 mount, below a private top directory
/// so it never meets a real kubelet's: TOP/kubepods.slice/kubepods-besteffort.slice/
/// kubepods-besteffort-pod&lt;uid&gt;.slice/cri-containerd-&lt;id&gt;.scope (the systemd driver's shape).
/// Processes are started inside it; disposing waits for them and removes the tree.</summary>
public sealed class FakeKubeletCgroup : IDisposable
{
    public FakeKubeletCgroup()
    {
        Mount = CgroupFs.FindV2Mount()!;
        Top = Path.Combine(Mount, "secop-test-" + Guid.NewGuid().ToString("N")[..12]);
        PodUid = Guid.NewGuid().ToString();
        ContainerId = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        KubepodsRoot = Path.Combine(Top, "kubepods.slice");
        RelativeContainerPath = $"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{PodUid.Replace('-', '_')}.slice/cri-containerd-{ContainerId}.scope";
        Container = Top + RelativeContainerPath;
        Directory.CreateDirectory(Container);
    }

    public string Mount { get; }
    public string Top { get; }
    public string KubepodsRoot { get; }
    public string Container { get; }
    public string RelativeContainerPath { get; }
    public string PodUid { get; }
    public string ContainerId { get; }

    public ulong ContainerCgroupId => CgroupFs.IdOf(Container);

    /// <summary>Runs a shell script whose shell first moves itself into the container cgroup.</summary>
    public Task<ProcessRunner.Result> RunInside(string script) =>
        ProcessRunner.RunAsync("/bin/bash", ["-c", $"echo $$ > '{Container}/cgroup.procs' && {script}"], timeout: TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        // Leaves first; a cgroup with processes cannot be removed, and ours have all exited by now.
        var dirs = Directory.GetDirectories(Top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(Top);
        foreach (var dir in dirs)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    Directory.Delete(dir);
                    break;
                }
                catch (IOException)
                {
                    Thread.Sleep(100); // a killed process's cgroup exit is asynchronous
                }
            }
        }
    }
}
