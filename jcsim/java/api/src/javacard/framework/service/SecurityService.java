// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacard.framework.service;

public interface SecurityService extends Service {
    byte PROPERTY_INPUT_CONFIDENTIALITY = 1;
    byte PROPERTY_INPUT_INTEGRITY = 2;
    byte PROPERTY_OUTPUT_CONFIDENTIALITY = 4;
    byte PROPERTY_OUTPUT_INTEGRITY = 8;
    short PRINCIPAL_CARDHOLDER = 1;
    short PRINCIPAL_CARD_ISSUER = 2;
    short PRINCIPAL_APP_PROVIDER = 3;

    boolean isAuthenticated(short principal) throws ServiceException;
    boolean isChannelSecure(byte properties) throws ServiceException;
    boolean isCommandSecure(byte properties) throws ServiceException;
}
