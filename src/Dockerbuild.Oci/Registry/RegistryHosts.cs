using System.Net;

namespace Dockerbuild.Oci.Registry;

/// <summary>Names of registry hosts: docker.io's aliases, loopback detection, config.json keys.</summary>
public static class RegistryHosts
{
    public const string DockerHub = "docker.io";

    /// <summary>The key docker writes for Docker Hub in config.json and passes to credential helpers.</summary>
    public const string DockerHubConfigKey = "https://index.docker.io/v1/";

    /// <summary>Where Docker Hub's registry API is actually served.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public static bool IsDockerHub(string registry) =>
        registry is DockerHub or "index.docker.io" or DockerHubApiHost or DockerHubConfigKey or "https://index.docker.io/v1";

    /// <summary>The host[:port] the HTTP API lives at.</summary>
    public static string ApiHost(string registry) => IsDockerHub(registry) ? DockerHubApiHost : Normalize(registry);

    /// <summary>The key of this registry in config.json <c>auths</c> and for credential helpers.</summary>
    public static string ConfigKey(string registry) => IsDockerHub(registry) ? DockerHubConfigKey : Normalize(registry);

    /// <summary>A config.json key or URL reduced to host[:port], lower-case (docker's ConvertToHostname).</summary>
    public static string Normalize(string registry)
    {
        var host = registry.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return (slash >= 0 ? host[..slash] : host).ToLowerInvariant();
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1, with or without a port.</summary>
    public static bool IsLoopback(string registry)
    {
        var host = HostWithoutPort(Normalize(registry));
        return host == "localhost"
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    public static string HostWithoutPort(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? hostAndPort[1..close] : hostAndPort;
        }

        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0 && hostAndPort.IndexOf(':', StringComparison.Ordinal) == colon ? hostAndPort[..colon] : hostAndPort;
    }
}
