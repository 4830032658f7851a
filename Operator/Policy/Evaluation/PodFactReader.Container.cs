using System.Text.Json;

namespace SecurityOperator.Policy.Evaluation;

internal ref partial struct PodFactReader
{
    private void ReadContainers(ContainerSection section)
    {
        if (!EnterArray(section.FieldName())) return;
        var index = 0;
        while (NextElement())
        {
            _section = section;
            _itemIndex = index;
            _scope = ReadScope.Container;
            if (ElementIsObject(section.FieldName())) ReadContainer(section, index);
            index++;
        }
        _scope = ReadScope.Spec;
    }

    private void ReadContainer(ContainerSection section, int index)
    {
        var container = new ContainerFacts
        {
            Section = section,
            IndexInSection = index,
            Name = TextRange.None,
            Image = TextRange.None,
            SecurityContext = SecurityContextFacts.Empty,
            PortStart = _facts.Ports.Count,
            ResourceStart = _facts.Resources.Count,
            EnvStart = _facts.Env.Count,
            MountStart = _facts.VolumeMounts.Count,
            ProbeHostStart = _facts.ProbeHosts.Count,
        };
        while (NextProperty())
        {
            _scope = ReadScope.Container;
            // Dispatch on the name's length first: most of a real container's fields (imagePullPolicy,
            // terminationMessagePath, command, args...) are then skipped after one comparison or none.
            switch (_name.Length)
            {
                case 3 when Is("env"u8): ReadEnv(); break;
                case 4 when Is("name"u8): container.Name = ReadString("name"); break;
                case 5 when Is("image"u8): container.Image = ReadString("image"); break;
                case 5 when Is("ports"u8): ReadPorts(); break;
                case 7 when Is("envFrom"u8): ReadEnvFrom(); break;
                case 9 when Is("resources"u8): ReadResources(ref container); break;
                case 9 when Is("lifecycle"u8): if (EnterObject("lifecycle")) ReadLifecycle(); break;
                case 12 when Is("volumeMounts"u8): ReadVolumeMounts(); break;
                case 12 when Is("startupProbe"u8): if (EnterObject("startupProbe")) ReadHandlerHosts(ProbeHandler.StartupProbe); break;
                case 13 when Is("livenessProbe"u8): if (EnterObject("livenessProbe")) ReadHandlerHosts(ProbeHandler.LivenessProbe); break;
                case 14 when Is("readinessProbe"u8): if (EnterObject("readinessProbe")) ReadHandlerHosts(ProbeHandler.ReadinessProbe); break;
                case 15 when Is("securityContext"u8):
                    if (!EnterObject("securityContext")) break;
                    _scope = ReadScope.ContainerSecurityContext;
                    ReadSecurityContext(ref container.SecurityContext, pod: false);
                    break;
                default: _reader.Skip(); break;
            }
        }
        container.PortCount = _facts.Ports.Count - container.PortStart;
        container.ResourceCount = _facts.Resources.Count - container.ResourceStart;
        container.EnvCount = _facts.Env.Count - container.EnvStart;
        container.MountCount = _facts.VolumeMounts.Count - container.MountStart;
        container.ProbeHostCount = _facts.ProbeHosts.Count - container.ProbeHostStart;
        _facts.Containers.Add(container);
        _facts.SectionMask |= 1 << (int)section;
    }

    private void ReadPorts()
    {
        if (!EnterArray("ports")) return;
        var index = 0;
        while (NextElement())
        {
            if (!ElementIsObject("ports")) { index++; continue; }
            var port = new PortFact(index++, 0, 0);
            while (NextProperty())
            {
                if (Is("hostPort"u8)) port.HostPort = ReadInt32("ports.hostPort");
                else if (Is("containerPort"u8)) port.ContainerPort = ReadInt32("ports.containerPort");
                else _reader.Skip();
            }
            _facts.Ports.Add(port);
        }
    }

    private void ReadResources(ref ContainerFacts container)
    {
        if (!EnterObject("resources")) return;
        container.HasResources = true;
        while (NextProperty())
        {
            var isLimit = Is("limits"u8);
            if (isLimit || Is("requests"u8))
            {
                if (!EnterObject(isLimit ? "resources.limits" : "resources.requests")) continue;
                if (isLimit) container.HasLimits = true; else container.HasRequests = true;
                while (NextProperty())
                {
                    var name = CopyCurrent();
                    Next();
                    if (_reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                        throw TypeError(isLimit ? "resources.limits" : "resources.requests", "a quantity (string or number)");
                    _facts.Resources.Add(new ResourceFact(isLimit, name, CopyCurrent()));
                }
            }
            else _reader.Skip();
        }
    }

    private void ReadEnv()
    {
        if (!EnterArray("env")) return;
        var index = 0;
        while (NextElement())
        {
            if (!ElementIsObject("env")) { index++; continue; }
            var env = new EnvFact(index++, EnvSource.Literal, TextRange.None, TextRange.None, TextRange.None, TextRange.None);
            while (NextProperty())
            {
                if (Is("name"u8)) env.Name = ReadString("env.name");
                else if (Is("value"u8)) env.Value = ReadString("env.value");
                else if (Is("valueFrom"u8)) { if (EnterObject("env.valueFrom")) ReadValueFrom(ref env); }
                else _reader.Skip();
            }
            _facts.Env.Add(env);
        }
    }

    private void ReadValueFrom(ref EnvFact env)
    {
        while (NextProperty())
        {
            if (Is("secretKeyRef"u8))
            {
                env.Source = EnvSource.SecretKeyRef;
                if (!EnterObject("env.valueFrom.secretKeyRef")) continue;
                while (NextProperty())
                {
                    if (Is("name"u8)) env.SecretName = ReadString("env.valueFrom.secretKeyRef.name");
                    else if (Is("key"u8)) env.SecretKey = ReadString("env.valueFrom.secretKeyRef.key");
                    else _reader.Skip();
                }
                continue;
            }
            env.Source = Is("configMapKeyRef"u8) ? EnvSource.ConfigMapKeyRef
                : Is("fieldRef"u8) ? EnvSource.FieldRef
                : Is("resourceFieldRef"u8) ? EnvSource.ResourceFieldRef
                : EnvSource.Other;
            _reader.Skip();
        }
    }

    private void ReadEnvFrom()
    {
        if (!EnterArray("envFrom")) return;
        var index = 0;
        while (NextElement())
        {
            if (!ElementIsObject("envFrom")) { index++; continue; }
            var env = new EnvFact(index++, EnvSource.Other, TextRange.None, TextRange.None, TextRange.None, TextRange.None);
            while (NextProperty())
            {
                var isSecret = Is("secretRef"u8);
                if (isSecret || Is("configMapRef"u8))
                {
                    env.Source = isSecret ? EnvSource.EnvFromSecret : EnvSource.EnvFromConfigMap;
                    if (!EnterObject(isSecret ? "envFrom.secretRef" : "envFrom.configMapRef")) continue;
                    while (NextProperty())
                    {
                        if (Is("name"u8)) env.SecretName = ReadString("envFrom.name");
                        else _reader.Skip();
                    }
                }
                else _reader.Skip();
            }
            _facts.Env.Add(env);
        }
    }

    private void ReadVolumeMounts()
    {
        if (!EnterArray("volumeMounts")) return;
        var index = 0;
        while (NextElement())
        {
            if (!ElementIsObject("volumeMounts")) { index++; continue; }
            var mount = new VolumeMountFact(index++, TextRange.None, TextRange.None, false);
            while (NextProperty())
            {
                if (Is("name"u8)) mount.Name = ReadString("volumeMounts.name");
                else if (Is("mountPath"u8)) mount.MountPath = ReadString("volumeMounts.mountPath");
                else if (Is("readOnly"u8)) mount.ReadOnly = ReadBool("volumeMounts.readOnly") == true;
                else _reader.Skip();
            }
            _facts.VolumeMounts.Add(mount);
        }
    }

    private void ReadLifecycle()
    {
        while (NextProperty())
        {
            if (Is("postStart"u8)) { if (EnterObject("lifecycle.postStart")) ReadHandlerHosts(ProbeHandler.PostStart); }
            else if (Is("preStop"u8)) { if (EnterObject("lifecycle.preStop")) ReadHandlerHosts(ProbeHandler.PreStop); }
            else _reader.Skip();
        }
    }

    /// <summary>A probe or lifecycle handler: records non-empty httpGet.host and tcpSocket.host.</summary>
    private void ReadHandlerHosts(ProbeHandler handler)
    {
        while (NextProperty())
        {
            var tcpSocket = Is("tcpSocket"u8);
            if (tcpSocket || Is("httpGet"u8))
            {
                if (!EnterObject("handler")) continue;
                while (NextProperty())
                {
                    if (Is("host"u8))
                    {
                        var host = ReadString("handler.host");
                        if (host.Length > 0) _facts.ProbeHosts.Add(new ProbeHostFact(host, handler, tcpSocket));
                    }
                    else _reader.Skip();
                }
            }
            else _reader.Skip();
        }
    }
}
