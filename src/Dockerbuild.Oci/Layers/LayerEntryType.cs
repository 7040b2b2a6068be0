namespace Dockerbuild.Oci.Layers;

/// <summary>The kinds of filesystem object a layer tar can carry.</summary>
public enum LayerEntryType
{
    RegularFile,
    Directory,
    SymbolicLink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
}
