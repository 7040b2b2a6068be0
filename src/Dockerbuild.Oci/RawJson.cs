using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci;

/// <summary>
/// A parsed document together with the exact bytes it came from (or was canonically written as) and
/// their digest, so every descriptor, push and store is over precisely these bytes — never over a
/// re-serialization.
/// </summary>
public sealed class RawJson<T>
    where T : class
{
    private readonly byte[] bytes;

    private RawJson(T value, byte[] bytes)
    {
        Value = value;
        this.bytes = bytes;
        Digest = Digest.Compute(bytes);
    }

    public T Value { get; }

    public ReadOnlyMemory<byte> Bytes => bytes;

    public Digest Digest { get; }

    public long Size => bytes.Length;

    /// <summary>Parses <paramref name="content"/>, keeping a copy of the bytes exactly as given.</summary>
    public static RawJson<T> Parse(ReadOnlySpan<byte> content) => new(OciJson.Deserialize<T>(content), content.ToArray());

    /// <summary>Writes <paramref name="value"/> in the canonical form (compact, sorted maps).</summary>
    public static RawJson<T> Create(T value) => new(value, OciJson.Serialize(value));

    public Descriptor ToDescriptor(string mediaType) => new(mediaType, Digest, Size);
}
