using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>An ordered list of objects' metadata and content digests, hashed into one digest.</summary>
public sealed class TreeManifest : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add(string path, LayerEntryType type, int mode, int uid, int gid, string? linkTarget, string? contentDigest, IReadOnlyDictionary<string, byte[]>? xattrs = null)
    {
        var attributes = xattrs is null ? "" : string.Concat(xattrs.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"\0{x.Key}={Convert.ToHexString(x.Value)}"));
        var line = string.Create(CultureInfo.InvariantCulture, $"{path}\0{type}\0{Convert.ToString(mode, 8)}\0{uid}\0{gid}\0{linkTarget}\0{contentDigest}{attributes}\n");
        hash.AppendData(Encoding.UTF8.GetBytes(line));
    }

    public void AddText(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));

    public string Digest() => "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());

    public void Dispose() => hash.Dispose();
}
