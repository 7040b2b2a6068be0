using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Publish.Incremental;

/// <summary>
/// The findings of the last DockerfileCheck of a project, kept under obj/ so a build whose Dockerfile,
/// build arguments, target and store have not changed replays them (same codes, messages and
/// positions) without parsing or checking again, and without loading the Dockerfile and engine
/// assemblies. The key covers the package build, the Dockerfile's path and bytes, the build arguments,
/// the target and the store's directory; <see cref="Bases"/> are the external base images the checks
/// read (<c>name=manifest digest</c> or <c>name=missing</c>), compared against the store each time,
/// since a re-pulled base may lend another env or SHELL.
/// </summary>
internal sealed record CheckStamp(string Key, IReadOnlyList<string> Bases, IReadOnlyList<CheckStamp.Finding> Findings)
{
    private const string Format = "dockerbuild-check-stamp-1";

    /// <summary>One diagnostic as it was logged.</summary>
    internal sealed record Finding(string Code, string Message, string? HelpLink, string? File, int Line, int Column, bool IsError);

    /// <param name="assemblyDirectory">Where the package's assemblies are (the task assembly's directory).</param>
    private static string IgnoreFileDigest(string path)
    {
        try
        {
            return File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "-";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable now: a key no stamp has, so the checks run (and report what they can).
            return Guid.NewGuid().ToString();
        }
    }

    public static string ComputeKey(string assemblyDirectory, string dockerfile, byte[] bytes, IReadOnlyDictionary<string, string> buildArgs, string target, string storeRoot)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string part)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
            hash.AppendData("\0"u8);
        }

        Add(Format);
        Add(typeof(CheckStamp).Assembly.ManifestModule.ModuleVersionId.ToString());
        // The rules live in assemblies not loaded here: a rebuilt one (same package version in a
        // development loop) shows in its size and time.
        foreach (var name in new[] { "Dockerbuild.Dockerfile.dll", "Dockerbuild.Engine.dll" })
        {
            var file = new FileInfo(Path.Combine(assemblyDirectory, name));
            Add(file.Exists ? $"{name}|{file.Length}|{file.LastWriteTimeUtc.Ticks}" : name);
        }

        Add(dockerfile);
        Add(Convert.ToHexString(SHA256.HashData(bytes)));
        Add("target=" + target);
        Add("store=" + storeRoot);
        foreach (var (key, value) in buildArgs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add($"arg:{key}={value}");
        }

        // CopyIgnoredFile reads the .dockerignore that applies: the Dockerfile's own, else its directory's (the context).
        foreach (var ignore in new[] { dockerfile + ".dockerignore", Path.Combine(Path.GetDirectoryName(dockerfile) ?? ".", ".dockerignore") })
        {
            Add(IgnoreFileDigest(ignore));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>True when every recorded base still names the same image in the store.</summary>
    public async Task<bool> BasesUnchangedAsync(ImageStore store, CancellationToken cancellationToken)
    {
        foreach (var line in Bases)
        {
            var name = line[..line.LastIndexOf('=')];
            if (await ImageStamp.BaseLineAsync(store, name, cancellationToken).ConfigureAwait(false) != line)
            {
                return false;
            }
        }

        return true;
    }

    /// <returns>The stamp, or null when there is none or it cannot be read (then the checks simply run).</returns>
    public static CheckStamp? TryRead(string path) => StampJson.TryRead(path, Format, json => new CheckStamp(
        json.GetProperty("key").GetString()!,
        [.. json.GetProperty("bases").EnumerateArray().Select(b => b.GetString()!)],
        [.. json.GetProperty("findings").EnumerateArray().Select(f => new Finding(
            f.GetProperty("code").GetString()!,
            f.GetProperty("message").GetString()!,
            f.GetProperty("helpLink").GetString(),
            f.GetProperty("file").GetString(),
            f.GetProperty("line").GetInt32(),
            f.GetProperty("column").GetInt32(),
            f.GetProperty("isError").GetBoolean()))]));

    public void Write(string path) => StampJson.Write(path, Format, json =>
    {
        json.WriteString("key", Key);
        StampJson.WriteStrings(json, "bases", Bases);
        json.WriteStartArray("findings");
        foreach (var finding in Findings)
        {
            json.WriteStartObject();
            json.WriteString("code", finding.Code);
            json.WriteString("message", finding.Message);
            json.WriteString("helpLink", finding.HelpLink);
            json.WriteString("file", finding.File);
            json.WriteNumber("line", finding.Line);
            json.WriteNumber("column", finding.Column);
            json.WriteBoolean("isError", finding.IsError);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });
}
