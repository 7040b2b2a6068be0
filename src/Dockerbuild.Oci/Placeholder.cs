namespace Dockerbuild.Oci; internal static class Placeholder { }
