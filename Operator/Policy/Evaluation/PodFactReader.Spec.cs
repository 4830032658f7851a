using System.Text.Json;

namespace SecurityOperator.Policy.Evaluation;

internal ref partial struct PodFactReader
{
    private void ReadSpec()
    {
        while (NextProperty())
        {
            _scope = ReadScope.Spec;
            if (Is("containers"u8)) ReadContainers(ContainerSection.Containers);
            else if (Is("initContainers"u8)) ReadContainers(ContainerSection.InitContainers);
            else if (Is("ephemeralContainers"u8)) ReadContainers(ContainerSection.EphemeralContainers);
            else if (Is("hostNetwork"u8)) _facts.HostNetwork = ReadBool("hostNetwork");
            else if (Is("hostPID"u8)) _facts.HostPID = ReadBool("hostPID");
            else if (Is("hostIPC"u8)) _facts.HostIPC = ReadBool("hostIPC");
            else if (Is("hostUsers"u8)) _facts.HostUsers = ReadBool("hostUsers");
            else if (Is("os"u8)) { if (EnterObject("os")) ReadOs(); }
            else if (Is("serviceAccountName"u8)) _facts.ServiceAccountName = ReadString("serviceAccountName");
            else if (Is("serviceAccount"u8))
            {
                // Deprecated alias; serviceAccountName wins when both are present, as in the API server's defaulting.
                var alias = ReadString("serviceAccount");
                if (!_facts.ServiceAccountName.IsPresent) _facts.ServiceAccountName = alias;
            }
            else if (Is("securityContext"u8))
            {
                if (!EnterObject("securityContext")) continue;
                _scope = ReadScope.PodSecurityContext;
                ReadSecurityContext(ref _facts.PodSecurityContext, pod: true);
            }
            else if (Is("volumes"u8)) ReadVolumes();
            else if (Is("imagePullSecrets"u8)) ReadPullSecretNames();
            else _reader.Skip();
        }
    }

    private void ReadPullSecretNames()
    {
        if (!EnterArray("imagePullSecrets")) return;
        while (NextElement())
        {
            if (!ElementIsObject("imagePullSecrets[]")) continue;
            while (NextProperty())
            {
                if (!Is("name"u8)) { _reader.Skip(); continue; }
                var name = ReadString("imagePullSecrets[].name");
                if (name.Length > 0) _facts.PullSecretNames.Add(name);
            }
        }
    }

    private void ReadOs()
    {
        while (NextProperty())
        {
            if (Is("name"u8)) _facts.OsName = ReadString("os.name");
            else _reader.Skip();
        }
    }

    private void ReadVolumes()
    {
        if (!EnterArray("volumes")) return;
        var index = 0;
        while (NextElement())
        {
            _scope = ReadScope.Volume;
            _itemIndex = index;
            if (ElementIsObject("volumes")) ReadVolume(index);
            index++;
        }
        _scope = ReadScope.Spec;
    }

    private void ReadVolume(int index)
    {
        var volume = new VolumeFact(index, TextRange.None, TextRange.None, false, TextRange.None, _facts.VolumeSources.Count, 0);
        while (NextProperty())
        {
            if (Is("name"u8)) { volume.Name = ReadString("name"); continue; }
            // Every other key is a volume source ("hostPath", "configMap", ...).
            var isHostPath = Is("hostPath"u8);
            var type = CopyCurrent();
            Next();
            if (_reader.TokenType == JsonTokenType.Null) { _facts.CommitText(type.Start, 0); continue; }
            _facts.VolumeSources.Add(type);
            if (!volume.Type.IsPresent) volume.Type = type;
            if (!isHostPath) { _reader.Skip(); continue; }
            if (_reader.TokenType != JsonTokenType.StartObject) throw TypeError("hostPath", "an object");
            volume.HasHostPath = true;
            while (NextProperty())
            {
                if (Is("path"u8)) volume.HostPath = ReadString("hostPath.path");
                else _reader.Skip();
            }
        }
        volume.SourceCount = _facts.VolumeSources.Count - volume.SourceStart;
        _facts.Volumes.Add(volume);
    }
}
