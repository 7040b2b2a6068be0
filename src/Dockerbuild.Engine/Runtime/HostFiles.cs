using System.Text;
using System.Text.RegularExpressions;

namespace Dockerbuild.Engine.Runtime;

/// <summary>The /etc/hosts and /etc/resolv.conf bind-mounted into every RUN, generated as BuildKit does.</summary>
internal static partial class HostFiles
{
    public const string DefaultHostname = "buildkitsandbox";

    private const string SystemdResolvedStub = "127.0.0.53";
    private const string SystemdResolvedUpstream = "/run/systemd/resolve/resolv.conf";

    public static string Hosts(string hostname, IEnumerable<KeyValuePair<string, string>> extraHosts)
    {
        var hosts = new StringBuilder()
            .Append("127.0.0.1\tlocalhost ").Append(string.IsNullOrEmpty(hostname) ? DefaultHostname : hostname).Append('\n')
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        foreach (var (host, ip) in extraHosts)
        {
            hosts.Append(ip).Append('\t').Append(host).Append('\n');
        }

        return hosts.ToString();
    }

    /// <summary>
    /// The host's resolv.conf; except for the host network, nameservers on loopback (unreachable from
    /// another namespace) are dropped and Google's public resolvers stand in when none is left
    /// (libnetwork's FilterResolvDNS, which BuildKit applies). BuildKit treats its default network
    /// like the sandboxed one here, so only <see cref="NetworkMode.Host"/> keeps the file as is.
    /// </summary>
    public static async Task<string> ResolvConfAsync(NetworkMode network, string hostResolvConf, CancellationToken cancellationToken)
    {
        var content = await ReadAsync(hostResolvConf, cancellationToken).ConfigureAwait(false);
        if (network == NetworkMode.Host && Nameserver().IsMatch(content))
        {
            return content;
        }

        if (content.Contains(SystemdResolvedStub, StringComparison.Ordinal) && File.Exists(SystemdResolvedUpstream))
        {
            content = await ReadAsync(SystemdResolvedUpstream, cancellationToken).ConfigureAwait(false);
        }

        content = LoopbackNameserver().Replace(content, "");
        if (!Nameserver().IsMatch(content))
        {
            content += "\nnameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844";
        }

        return content;
    }

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"(?m)^\s*nameserver\s*((127\.([0-9]{1,3}\.){2}[0-9]{1,3})|(::1))\s*\n*")]
    private static partial Regex LoopbackNameserver();

    [GeneratedRegex(@"(?m)^\s*nameserver\s+\S+")]
    private static partial Regex Nameserver();
}
