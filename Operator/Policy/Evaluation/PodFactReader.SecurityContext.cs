namespace SecurityOperator.Policy.Evaluation;

internal ref partial struct PodFactReader
{
    /// <summary>Reads a PodSecurityContext (<paramref name="pod"/>) or a container SecurityContext; the fields that only
    /// exist on one of them are simply absent on the other.</summary>
    private void ReadSecurityContext(ref SecurityContextFacts sc, bool pod)
    {
        sc.Present = true;
        while (NextProperty())
        {
            if (First is not ((byte)'r' or (byte)'p' or (byte)'a' or (byte)'c' or (byte)'s' or (byte)'w')) _reader.Skip();
            else if (Is("runAsNonRoot"u8)) sc.RunAsNonRoot = ReadBool("runAsNonRoot");
            else if (Is("runAsUser"u8)) sc.RunAsUser = ReadInt64("runAsUser");
            else if (Is("privileged"u8)) sc.Privileged = ReadBool("privileged");
            else if (Is("allowPrivilegeEscalation"u8)) sc.AllowPrivilegeEscalation = ReadBool("allowPrivilegeEscalation");
            else if (Is("readOnlyRootFilesystem"u8)) sc.ReadOnlyRootFilesystem = ReadBool("readOnlyRootFilesystem");
            else if (Is("procMount"u8)) sc.ProcMount = ReadString("procMount");
            else if (Is("capabilities"u8)) { if (EnterObject("capabilities")) ReadCapabilities(ref sc); }
            else if (Is("seccompProfile"u8))
            {
                if (!EnterObject("seccompProfile")) continue;
                sc.HasSeccompProfile = true;
                sc.SeccompType = ReadTypeField("seccompProfile.type");
            }
            else if (Is("appArmorProfile"u8))
            {
                if (!EnterObject("appArmorProfile")) continue;
                sc.HasAppArmorProfile = true;
                sc.AppArmorType = ReadTypeField("appArmorProfile.type");
            }
            else if (Is("seLinuxOptions"u8)) { if (EnterObject("seLinuxOptions")) ReadSeLinux(ref sc); }
            else if (Is("windowsOptions"u8)) { if (EnterObject("windowsOptions")) ReadWindowsOptions(ref sc); }
            else if (pod && Is("sysctls"u8)) ReadSysctls();
            else _reader.Skip();
        }
    }

    private TextRange ReadTypeField(string field)
    {
        var type = TextRange.None;
        while (NextProperty())
        {
            if (Is("type"u8)) type = ReadString(field);
            else _reader.Skip();
        }
        return type;
    }

    private void ReadCapabilities(ref SecurityContextFacts sc)
    {
        sc.HasCapabilities = true;
        while (NextProperty())
        {
            var isAdd = Is("add"u8);
            if (!isAdd && !Is("drop"u8)) { _reader.Skip(); continue; }
            var field = isAdd ? "capabilities.add" : "capabilities.drop";
            if (!EnterArray(field)) continue;
            var start = _facts.Capabilities.Count;
            while (NextElement())
            {
                var name = ReadString(field, advance: false);
                if (name.IsPresent) _facts.Capabilities.Add(name);
            }
            if (isAdd) { sc.HasAdd = true; sc.AddStart = start; sc.AddCount = _facts.Capabilities.Count - start; }
            else { sc.HasDrop = true; sc.DropStart = start; sc.DropCount = _facts.Capabilities.Count - start; }
        }
    }

    private void ReadSeLinux(ref SecurityContextFacts sc)
    {
        sc.HasSeLinuxOptions = true;
        while (NextProperty())
        {
            if (Is("type"u8)) sc.SeLinuxType = ReadString("seLinuxOptions.type");
            else if (Is("user"u8)) sc.SeLinuxUser = ReadString("seLinuxOptions.user");
            else if (Is("role"u8)) sc.SeLinuxRole = ReadString("seLinuxOptions.role");
            else _reader.Skip();
        }
    }

    private void ReadWindowsOptions(ref SecurityContextFacts sc)
    {
        while (NextProperty())
        {
            if (Is("hostProcess"u8)) sc.WindowsHostProcess = ReadBool("windowsOptions.hostProcess");
            else _reader.Skip();
        }
    }

    private void ReadSysctls()
    {
        if (!EnterArray("sysctls")) return;
        var index = -1;
        while (NextElement())
        {
            index++;
            if (!ElementIsObject("sysctls")) continue;
            // An entry without a name has the empty name (Go's zero value), which no safe list contains.
            var name = new TextRange(0, 0);
            while (NextProperty())
            {
                if (Is("name"u8)) { var read = ReadString("sysctls.name"); if (read.IsPresent) name = read; }
                else _reader.Skip();
            }
            _facts.Sysctls.Add(new SysctlFact(index, name));
        }
    }
}
