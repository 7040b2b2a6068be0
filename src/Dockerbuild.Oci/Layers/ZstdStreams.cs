using System.Runtime.CompilerServices;
using ZstdSharp;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// The only places that name ZstdSharp's types for reading: a method that names them makes the runtime
/// load ZstdSharp as soon as it is compiled (or its ReadyToRun fixups resolved), so they stay out of the
/// methods every gzip or plain layer goes through, and a build that never meets zstd never loads it.
/// </summary>
internal static class ZstdStreams
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Stream Decompress(Stream compressed) => new DecompressionStream(compressed);
}
