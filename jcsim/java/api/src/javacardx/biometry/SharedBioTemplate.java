// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.biometry;

import javacard.framework.Shareable;

public interface SharedBioTemplate extends BioTemplate, Shareable {

}
