namespace Dockerbuild.Oci.Layers;

public enum LayerCompression
{
    Gzip,
    Zstd,
    None,
}
