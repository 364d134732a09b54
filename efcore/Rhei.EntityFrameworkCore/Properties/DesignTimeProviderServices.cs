using Microsoft.EntityFrameworkCore.Design;

// Lets `dotnet ef dbcontext scaffold "<Rhei connection string>" Rhei.EntityFrameworkCore` find Rhei's design-time
// services: EF loads the assembly named as the provider and reads this attribute.
[assembly: DesignTimeProviderServices("Rhei.EntityFrameworkCore.Design.Internal.RheiDesignTimeServices")]
