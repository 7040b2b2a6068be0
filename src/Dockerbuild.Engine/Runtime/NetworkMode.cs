namespace Dockerbuild.Engine.Runtime;

/// <summary>RUN --network.</summary>
public enum NetworkMode
{
    /// <summary>
    /// What BuildKit's OCI worker uses when no CNI configuration is installed ("auto" falls back to the
    /// host provider): the host's network. Dockerbuild has no CNI bridge, so this is the host network.
    /// </summary>
    Default,

    /// <summary>A new network namespace with only the loopback interface, up.</summary>
    None,

    /// <summary>The host's network namespace.</summary>
    Host,
}
